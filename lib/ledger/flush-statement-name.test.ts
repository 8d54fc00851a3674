import { describe, expect, it } from "vitest";
import { flushStatementName } from "./wallet-sql";

describe("flushStatementName", () => {
  it("keeps short names readable and every name within PostgreSQL's 63 characters, distinct per combination", () => {
    expect(flushStatementName([])).toBe("ledger_flush");
    expect(flushStatementName(["usage_events_insert"])).toBe("ledger_flush+usage_events_insert");
    const parts = ["usage_events_insert", "usage_rollups_upsert", "webhook_events_insert", "a_much_longer_fused_write_name"];
    const combos = [parts, [...parts].reverse(), parts.slice(0, 3), [parts[2]!, parts[0]!, parts[1]!], [...parts, "x"]];
    const names = combos.map(flushStatementName);
    for (const n of names) expect(n.length).toBeLessThanOrEqual(63);
    expect(new Set(names).size).toBe(combos.length);
    expect(flushStatementName(parts)).toBe(names[0]);
  });
});
