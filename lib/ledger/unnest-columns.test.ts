import { describe, expect, it } from "vitest";
import { unnestColumns } from "./unnest-columns";
import { fusedColumns, fusedParams } from "./wallet-sql";

describe("unnestColumns", () => {
  const rows = [
    { id: "a", amount: 1, note: null },
    { id: "b", amount: 2, note: "x" },
  ];
  const columns = unnestColumns<(typeof rows)[number], string>({
    id: ["text", (r) => r.id],
    amount: ["numeric", (r, suffix) => `${r.amount}${suffix}`],
    note: ["text", (r) => r.note],
  });

  it("numbers one array parameter per column, in declaration order, from the first it is given", () => {
    expect(columns.width).toBe(3);
    expect(columns.sql(4)).toBe("unnest($4::text[], $5::numeric[], $6::text[]) AS v(id, amount, note)");
  });

  it("reads each column off every row, with the write's context", () => {
    expect(columns.values(rows, ".0")).toEqual([["a", "b"], ["1.0", "2.0"], [null, "x"]]);
    expect(columns.values([], ".0")).toEqual([[], [], []]);
  });
});

describe("fusedColumns", () => {
  it("puts the rows' customer ids first, then the columns in order, a jsonb column as one document", () => {
    const columns = fusedColumns([["id", "text"], ["data", "jsonb"], ["at", "timestamptz"]]);
    expect(columns.names).toBe("id, data, at");
    expect(columns.types).toEqual(["text", "jsonb", "timestamptz"]);
    expect(columns.rows(4).replace(/\s+/g, " ")).toBe(
      "(SELECT u.customer_id, u.id, NULLIF($6::jsonb -> (u.row_number::int - 1), 'null'::jsonb) AS data, u.at " +
        "FROM unnest($4::text[], $5::text[], $7::timestamptz[]) WITH ORDINALITY AS u(customer_id, id, at, row_number)) AS v",
    );
    const write = { name: "w", sql: columns.rows, columns: [["e1"], [{ a: 1 }], [new Date("2026-12-01T00:00:00Z")]], types: columns.types };
    expect(fusedParams(write, ["cust_1"])).toEqual(['{"cust_1"}', '{"e1"}', '[{"a":1}]', '{"2026-12-01T00:00:00.000Z"}']);
  });
});
