import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Dec } from "@/lib/money";
import { addEventRollups, toUnits, unitsToText, type Rollups } from "./rollup-facts";

describe("rollup amounts as units of 10^-12", () => {
  it("read stored decimal text exactly and write it back without trailing zeros", () => {
    expect(toUnits("0.001")).toBe(BigInt(1_000_000_000));
    expect(toUnits("12")).toBe(BigInt("12000000000000"));
    expect(toUnits("0.012300000000")).toBe(BigInt(12_300_000_000));
    expect(toUnits("-1.5")).toBe(BigInt("-1500000000000"));
    expect(toUnits("1e-12")).toBe(BigInt(1));
    expect(unitsToText(BigInt(12_300_000_000))).toBe("0.0123");
    expect(unitsToText(BigInt("12000000000000"))).toBe("12");
    expect(unitsToText(BigInt(0))).toBe("0");
    expect(unitsToText(BigInt("-1500000000000"))).toBe("-1.5");
    expect(() => toUnits("0.0000000000001")).toThrow(/decimal places/);
  });

  it("sum to what decimal arithmetic gives, to the last digit", () => {
    const amount = fc.tuple(fc.bigInt({ min: BigInt(0), max: BigInt(10) ** BigInt(26) - BigInt(1) }), fc.integer({ min: 0, max: 12 }))
      .map(([n, places]) => new Dec(n.toString()).div(new Dec(10).pow(places)).toFixed());
    fc.assert(
      fc.property(fc.array(amount, { maxLength: 20 }), (amounts) => {
        const units = amounts.reduce((sum, a) => sum + toUnits(a), BigInt(0));
        const decimal = amounts.reduce((sum, a) => sum.plus(a), new Dec(0));
        expect(new Dec(unitsToText(units)).eq(decimal)).toBe(true);
      }),
    );
  });

  it("count an event under all, each product and each vendor, with revenue only when billed", () => {
    const rollups: Rollups = new Map();
    const fees = [{ product_id: "p1", asset: "USD", amount: "0.1" }, { product_id: "p2", asset: "CREDIT", amount: "2" }];
    const costs = [{ vendor_id: "v1", currency: "USD", amount: "0.03" }];
    addEventRollups(rollups, { occurredAt: new Date("2026-05-01T23:59:59.999Z"), status: "billed", fees, costs });
    addEventRollups(rollups, { occurredAt: new Date("2026-05-01T01:00:00Z"), status: "refused", fees, costs });
    const rows = Object.fromEntries([...rollups].map(([k, v]) => [k, [unitsToText(v.units), v.count]]));
    expect(rows).toMatchObject({
      "2026-05-01|*|*|events||billed": ["0", 1],
      "2026-05-01|*|*|events||refused": ["0", 1],
      "2026-05-01|*|*|revenue|USD|": ["0.1", 1],
      "2026-05-01|p2|*|revenue|CREDIT|": ["2", 1],
      "2026-05-01|*|*|cost|USD|": ["0.06", 2],
      "2026-05-01|p1|v1|cost|USD|": ["0.06", 2],
      "2026-05-01|p1|v1|revenue|USD|": ["0.1", 1],
    });
    expect(rows["2026-05-01|p1|*|revenue|CREDIT|"]).toBeUndefined();
    // 2 statuses × (1 + 2 products) × (1 + 1 vendor) event rows.
    expect(Object.keys(rows).filter((k) => k.includes("|events|"))).toHaveLength(12);
  });
});
