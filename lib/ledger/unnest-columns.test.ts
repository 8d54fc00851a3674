import { describe, expect, it } from "vitest";
import { unnestColumns } from "./unnest-columns";

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
