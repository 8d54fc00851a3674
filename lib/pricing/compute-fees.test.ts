import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Dec, dec, formatAmount } from "@/lib/money";
import { computeFees, priceEvent } from "./compute-fees";
import type { PriceValue, SubscribedPrice, UsageType } from "./types";

function price(usageType: UsageType, values: PriceValue[], extra: Partial<SubscribedPrice> = {}): SubscribedPrice {
  return {
    productId: "prp_test",
    productVersion: 1,
    name: "Tokens",
    usageCalculation: {
      eventType: "message_completed",
      usageType,
      volumeField: usageType === "unit" ? undefined : "input_tokens",
      billableDimensions: ["model"],
    },
    pricing: [{ asset: "USD", values }],
    ...extra,
  };
}

const event = (data: Record<string, unknown>, event_type = "message_completed") => ({ event_type, data });
const amounts = (fees: { amount: Dec }[]) => fees.map((f) => formatAmount(f.amount));

/** Decimal text with up to 12 places, e.g. "123.000000450000". */
const decimalArb = (maxUnits = 10n ** 6n) =>
  fc
    .integer({ min: 0, max: 12 })
    .chain((scale) => fc.tuple(fc.bigInt({ min: 0n, max: maxUnits * 10n ** BigInt(scale) }), fc.constant(scale)))
    .map(([m, scale]) => new Dec(m.toString()).div(new Dec(10).pow(scale)).toFixed());
const volumeArb = fc.bigInt({ min: 0n, max: 10n ** 15n }).map(String);

describe("computeFees: the PRODUCT.md example", () => {
  const chat = price("volume", [
    { dimensions: { model: "gpt-4-1" }, volumeRate: dec("1.25"), packageSize: dec(1000000) },
    { dimensions: { model: "*" }, volumeRate: dec("2.50"), packageSize: dec(1000000) },
  ]);

  it("prices 2353 input tokens of gpt-4-1 at $1.25 per million", () => {
    const fees = computeFees([chat], event({ model: "gpt-4-1", input_tokens: 2353, output_tokens: 34697 }));
    expect(amounts(fees)).toEqual(["0.00294125"]);
    expect(fees[0]).toMatchObject({ asset: "USD", productId: "prp_test", productVersion: 1, priceName: "Tokens" });
  });

  it("falls back to the wildcard only when no exact row matches", () => {
    expect(amounts(computeFees([chat], event({ model: "claude", input_tokens: 1000000 })))).toEqual(["2.5"]);
    expect(amounts(computeFees([chat], event({ input_tokens: 1000000 })))).toEqual(["2.5"]);
    expect(amounts(computeFees([chat], event({ model: "gpt-4-1", input_tokens: 1000000 })))).toEqual(["1.25"]);
  });

  it("ignores events of another event_type and reports them unbilled", () => {
    const r = priceEvent([chat], event({ input_tokens: 5 }, "api_call"));
    expect(r.fees).toEqual([]);
    expect(r.unbilledReason).toBe("no_matching_price");
  });
});

describe("computeFees: rules", () => {
  it("a unit price charges unit_price per event", () => {
    expect(amounts(computeFees([price("unit", [{ unitPrice: dec(1) }])], event({})))).toEqual(["1"]);
  });

  it("each matching price yields its own fee, one per asset", () => {
    const a = price("unit", [{ unitPrice: dec("0.01") }], { name: "A" });
    const b = price("unit", [{ unitPrice: dec(3) }], { name: "B", productId: "prp_other", pricing: [{ asset: "CREDIT", values: [{ unitPrice: dec(3) }] }, { asset: "USD", values: [{ unitPrice: dec("0.5") }] }] });
    const fees = computeFees([a, b], event({}));
    expect(fees.map((f) => [f.priceName, f.asset, formatAmount(f.amount)])).toEqual([
      ["A", "USD", "0.01"],
      ["B", "CREDIT", "3"],
      ["B", "USD", "0.5"],
    ]);
  });

  it("exact dimensions beat a row without dimensions; no match leaves the price unpriced", () => {
    const p = price("unit", [{ unitPrice: dec(1) }, { dimensions: { model: "big" }, unitPrice: dec(5) }]);
    expect(amounts(computeFees([p], event({ model: "big" })))).toEqual(["5"]);
    expect(amounts(computeFees([p], event({ model: "small" })))).toEqual(["1"]);
    const strict = price("unit", [{ dimensions: { model: "big" }, unitPrice: dec(5) }]);
    const r = priceEvent([strict], event({ model: "small" }));
    expect(r).toMatchObject({ fees: [], unbilledReason: "no_matching_dimensions" });
    expect(r.unpriced[0]).toMatchObject({ priceName: "Tokens", asset: "USD", reason: "no_matching_dimensions" });
  });

  it("numeric dimension values match their string form", () => {
    const p = price("unit", [{ dimensions: { model: "4" }, unitPrice: dec(2) }]);
    expect(amounts(computeFees([p], event({ model: 4 })))).toEqual(["2"]);
  });

  it("a missing (absent or null) volume field makes the whole event unbilled, never billed as 0", () => {
    const unit = price("unit", [{ unitPrice: dec(1) }], { name: "Unit" });
    for (const data of [{}, { input_tokens: null }]) {
      for (const p of [price("volume", [{ volumeRate: dec(1) }]), price("unit_and_volume", [{ unitPrice: dec("0.1"), volumeRate: dec(1) }])]) {
        const r = priceEvent([unit, p], event(data));
        expect(r).toMatchObject({ fees: [], unbilledReason: "missing_volume_field" });
        expect(r.detail).toContain("input_tokens");
      }
    }
    // a zero volume is present: billed, without a fee
    expect(priceEvent([price("volume", [{ volumeRate: dec(1) }])], event({ input_tokens: 0 }))).toEqual({ fees: [], unpriced: [] });
  });

  it("a snake_case field also reads its camelCase key when the exact key is absent; the exact key wins", () => {
    const p = price("volume", [
      { dimensions: { model: "gpt-4-1" }, volumeRate: dec("1.25"), packageSize: dec(1000000) },
      { dimensions: { model: "*" }, volumeRate: dec("2.50"), packageSize: dec(1000000) },
    ]);
    const rest = amounts(computeFees([p], event({ model: "gpt-4-1", input_tokens: 2353 })));
    expect(amounts(computeFees([p], event({ model: "gpt-4-1", inputTokens: 2353 })))).toEqual(rest);
    expect(rest).toEqual(["0.00294125"]);
    expect(amounts(computeFees([p], event({ model: "gpt-4-1", input_tokens: 1000000, inputTokens: 2353 })))).toEqual(["1.25"]);
    const byDimension = price("unit", [{ dimensions: { model_family: "gpt" }, unitPrice: dec(2) }], {
      usageCalculation: { eventType: "message_completed", usageType: "unit", billableDimensions: ["model_family"] },
    });
    expect(amounts(computeFees([byDimension], event({ modelFamily: "gpt" })))).toEqual(["2"]);
  });

  it.each([["abc"], [true], [-5], ["-5"], [{}], [[1]], ["0x10"], [""]])("a non-numeric or negative volume %j makes the event unbilled", (bad) => {
    const unit = price("unit", [{ unitPrice: dec(1) }], { name: "Unit" });
    const r = priceEvent([unit, price("volume", [{ volumeRate: dec(1) }])], event({ input_tokens: bad }));
    expect(r.fees).toEqual([]);
    expect(r.unbilledReason).toBe("invalid_volume");
  });

  it("accepts numeric strings exactly and never reads the prototype", () => {
    const p = price("volume", [{ volumeRate: dec(1) }]);
    expect(amounts(computeFees([p], event({ input_tokens: "12345678901234567890.123456789012" })))).toEqual(["12345678901234567890.123456789012"]);
    const proto = { ...p, usageCalculation: { ...p.usageCalculation, volumeField: "constructor" } };
    expect(computeFees([proto], event({}))).toEqual([]);
  });

  it("rounds half-even once, at 12 places", () => {
    const p = price("volume", [{ volumeRate: dec(1), packageSize: dec("1000000000000") }]);
    expect(amounts(computeFees([p], event({ input_tokens: "0.5" })))).toEqual([]); // 0.5e-12 → 0 (even)
    expect(amounts(computeFees([p], event({ input_tokens: "1.5" })))).toEqual(["0.000000000002"]);
    expect(amounts(computeFees([p], event({ input_tokens: "2.5" })))).toEqual(["0.000000000002"]);
  });
});

describe("computeFees: properties", () => {
  it("3 × 0.1 is exactly 0.3 (no float drift)", () => {
    const p = price("volume", [{ volumeRate: dec(0.1) }]);
    expect(amounts(computeFees([p], event({ input_tokens: 3 })))).toEqual(["0.3"]);
    const unit = price("unit_and_volume", [{ unitPrice: dec(0.1), volumeRate: dec(0.1) }]);
    expect(amounts(computeFees([unit], event({ input_tokens: 2 })))).toEqual(["0.3"]);
  });

  it("a volume fee is linear in volume: fee(a + b) = fee(a) + fee(b) when nothing is rounded", () => {
    fc.assert(
      fc.property(volumeArb, volumeArb, decimalArb(), (a, b, rate) => {
        const p = price("volume", [{ volumeRate: dec(rate) }]);
        const fee = (v: string) => computeFees([p], event({ input_tokens: v }))[0]?.amount ?? new Dec(0);
        const sum = dec(a).plus(b).toFixed();
        expect(fee(sum).toFixed()).toBe(fee(a).plus(fee(b)).toFixed());
        expect(fee(a).toFixed()).toBe(dec(a).times(rate).toFixed());
      }),
    );
  });

  it("the wildcard row applies exactly when no exact row matches, wherever it is listed", () => {
    const models = ["a", "b", "c", "d"];
    fc.assert(
      fc.property(fc.shuffledSubarray(models), fc.nat(), fc.constantFrom(...models, undefined), (priced, at, model) => {
        const values: PriceValue[] = priced.map((m) => ({ dimensions: { model: m }, unitPrice: dec(models.indexOf(m) + 1) }));
        values.splice(at % (values.length + 1), 0, { dimensions: { model: "*" }, unitPrice: dec(100) });
        const [fee] = computeFees([price("unit", values)], event(model === undefined ? {} : { model }));
        const expected = model !== undefined && priced.includes(model) ? models.indexOf(model) + 1 : 100;
        expect(fee?.amount.toFixed()).toBe(String(expected));
      }),
    );
  });

  it("unit_and_volume = unit + volume (before rounding, so within one rounding)", () => {
    fc.assert(
      fc.property(volumeArb, decimalArb(), decimalArb(), fc.integer({ min: 1, max: 10_000_000 }), (v, unitPrice, rate, size) => {
        const row = { unitPrice: dec(unitPrice), volumeRate: dec(rate), packageSize: dec(size) };
        const one = (t: UsageType) => computeFees([price(t, [row])], event({ input_tokens: v }))[0]?.amount ?? new Dec(0);
        const exactVolume = dec(v).times(rate).div(size);
        expect(one("unit_and_volume").toFixed()).toBe(dec(unitPrice).plus(exactVolume).toDecimalPlaces(12, Dec.ROUND_HALF_EVEN).toFixed());
        expect(one("unit").toFixed()).toBe(dec(unitPrice).toFixed());
        expect(one("unit_and_volume").minus(one("unit")).minus(one("volume")).abs().lte("1e-12")).toBe(true);
      }),
    );
  });

  it("package_size division is exact to 12 places, rounded half-even", () => {
    fc.assert(
      fc.property(volumeArb, decimalArb(10n ** 6n), fc.integer({ min: 1, max: 1_000_000_007 }), (v, rate, size) => {
        const [fee] = computeFees([price("volume", [{ volumeRate: dec(rate), packageSize: dec(size) }])], event({ input_tokens: Number(v) <= Number.MAX_SAFE_INTEGER ? Number(v) : v }));
        // Reference in integer arithmetic: fee × 10^12 = round_half_even(v × rate × 10^12 / size).
        const scaledRate = BigInt(dec(rate).times(1e12).toFixed());
        const num = BigInt(v) * scaledRate; // v × rate × 10^12, exact
        const q = num / BigInt(size);
        const r = num % BigInt(size);
        const twice = 2n * r;
        const rounded = twice > BigInt(size) || (twice === BigInt(size) && q % 2n === 1n) ? q + 1n : q;
        const expected = new Dec(rounded.toString()).div(1e12);
        expect((fee?.amount ?? new Dec(0)).toFixed()).toBe(expected.toFixed());
      }),
    );
  });
});
