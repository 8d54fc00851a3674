import { describe, expect, it } from "vitest";
import { layOut, unnestColumns } from "./unnest-columns";

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

  it("lays consecutive sets out one after the other", () => {
    const one = unnestColumns<{ id: string }>({ id: ["text", (r) => r.id] });
    expect(layOut(2, [columns, one, columns])).toEqual({
      sql: [
        "unnest($2::text[], $3::numeric[], $4::text[]) AS v(id, amount, note)",
        "unnest($5::text[]) AS v(id)",
        "unnest($6::text[], $7::numeric[], $8::text[]) AS v(id, amount, note)",
      ],
      params: [{ id: "$2", amount: "$3", note: "$4" }, { id: "$5" }, { id: "$6", amount: "$7", note: "$8" }],
      nextParam: 9,
    });
  });
});
