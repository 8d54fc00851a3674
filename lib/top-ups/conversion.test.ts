import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fiatAsset } from "@/lib/catalog/asset-records";
import type { Asset } from "@/lib/catalog/types";
import { ValidationError } from "@/lib/errors";
import { Dec } from "@/lib/money";
import { convertTopUp, fromMinorUnits, toMinorUnits, topUpCurrencyOrThrow } from "./conversion";

const USD = topUpCurrencyOrThrow("USD");
const JPY = topUpCurrencyOrThrow("JPY");
const usdAsset = fiatAsset("USD")!;

function customAsset(code: string, rates: [string, string][]): Asset {
  return { code, name: code, precision: 0, symbol: null, label: null, isFiat: false, createdAt: new Date(), rates: rates.map(([source, rate]) => ({ source, rate: new Dec(rate) })) };
}
const tok = customAsset("TOK", [["USD", "0.05"]]);

describe("convertTopUp", () => {
  it("credits a same-asset top-up exactly and refuses any rate but 1 (the seed's 1000000 is a typo)", () => {
    expect(convertTopUp(new Dec(50), USD, usdAsset).creditAmount.toFixed()).toBe("50");
    expect(convertTopUp(new Dec(50), USD, usdAsset, new Dec("1.000")).creditAmount.toFixed()).toBe("50");
    expect(() => convertTopUp(new Dec(50), USD, usdAsset, new Dec(1000000))).toThrow(/same asset needs rate 1/);
    expect(() => convertTopUp(new Dec(50), USD, usdAsset, new Dec("0.99"))).toThrow(ValidationError);
  });

  it("uses the asset's stored price (units = amount / price) and records 1/price as the exchange rate", () => {
    const c = convertTopUp(new Dec(10), USD, tok);
    expect([c.creditAmount.toFixed(), c.exchangeRate.toFixed(), c.assetPrice?.toFixed()]).toEqual(["200", "20", "0.05"]);
    const thirds = convertTopUp(new Dec(1), USD, customAsset("X", [["USD", "0.03"]]));
    expect(thirds.creditAmount.toFixed()).toBe("33.333333333333");
  });

  it("honours an explicit exchange_rate and refuses a destination without a rate in the currency", () => {
    expect(convertTopUp(new Dec("7.3"), USD, tok, new Dec("2.5")).creditAmount.toFixed()).toBe("18.25");
    expect(() => convertTopUp(new Dec(10), JPY, tok)).toThrow(/no rate in JPY/);
    expect(() => convertTopUp(new Dec("0.01"), USD, tok, new Dec("0.00000000001"))).toThrow(/credit nothing/);
  });

  it("credited = amount × exchange_rate exactly (to the stored 12 places) for any cent amount and rate", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99_999_999 }), fc.integer({ min: 1, max: 10 ** 9 }), fc.integer({ min: 0, max: 6 }), (cents, rateDigits, scale) => {
        const amount = new Dec(cents).div(100);
        const rate = new Dec(rateDigits).div(new Dec(10).pow(scale));
        const { creditAmount } = convertTopUp(amount, USD, tok, rate);
        expect(creditAmount.eq(amount.times(rate))).toBe(true);
      }),
    );
  });
});

describe("minor units", () => {
  it("converts with the currency's ISO precision and refuses fractions of a minor unit", () => {
    expect(toMinorUnits(new Dec("12.5"), USD)).toBe(1250);
    expect(toMinorUnits(new Dec(500), JPY)).toBe(500);
    expect(fromMinorUnits(1250, USD).toFixed()).toBe("12.5");
    expect(() => toMinorUnits(new Dec("10.005"), USD)).toThrow();
  });
});
