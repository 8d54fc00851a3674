import { describe, expect, it } from "vitest";
import { Dec } from "@/lib/money";
import {
  amountSchema,
  assetCodeSchema,
  idSchema,
  isoDateTimeSchema,
  metadataSchema,
  positiveAmountSchema,
} from "./common";

function amount(input: unknown): string {
  const result = amountSchema.safeParse(input);
  if (!result.success) throw new Error(result.error.issues[0]!.message);
  expect(result.data).toBeInstanceOf(Dec);
  return result.data.toFixed();
}

function amountError(input: unknown): string {
  const result = amountSchema.safeParse(input);
  expect(result.success).toBe(false);
  return result.error!.issues[0]!.message;
}

describe("amountSchema", () => {
  it("keeps JSON numbers exactly as written, with no float arithmetic", () => {
    expect(amount(0.1)).toBe("0.1");
    expect(amount(14.566678)).toBe("14.566678");
    expect(amount(1.25)).toBe("1.25");
    expect(amount(1e-12)).toBe("0.000000000001");
    expect(amount(1e3)).toBe("1000");
    expect(amount(-5)).toBe("-5");
    expect(amount(Number.MAX_SAFE_INTEGER)).toBe("9007199254740991");
  });

  it("does not add 0.1 + 0.2 as floats", () => {
    const sum = positiveAmountSchema.parse(0.1).plus(positiveAmountSchema.parse(0.2));
    expect(sum.toFixed()).toBe("0.3");
  });

  it("accepts decimal strings, including exponent form", () => {
    expect(amount("12.5")).toBe("12.5");
    expect(amount("12.50")).toBe("12.5");
    expect(amount("1e3")).toBe("1000");
    expect(amount("1e-12")).toBe("0.000000000001");
    expect(amount("12345678901234567890123456.123456789012")).toBe("12345678901234567890123456.123456789012");
  });

  it("refuses more than 12 decimal places", () => {
    expect(amountError(0.1234567890123)).toMatch(/12 decimal places/);
    expect(amountError("0.0000000000001")).toMatch(/12 decimal places/);
    expect(amountError("1e-13")).toMatch(/12 decimal places/);
    // 0.1 + 0.2 as a double is 0.30000000000000004: refused, never rounded to 0.3
    expect(amountError(0.1 + 0.2)).toMatch(/12 decimal places/);
  });

  it("refuses more than 26 integer digits and exponent overflow", () => {
    expect(amountError("123456789012345678901234567")).toMatch(/26 integer digits/);
    expect(amountError("1e26")).toMatch(/26 integer digits/);
    expect(amountError("1e999999999")).toMatch(/26 integer digits/);
    // JSON.parse turns 1e400 into Infinity
    expect(amountError(JSON.parse("1e400"))).toMatch(/decimal number/);
  });

  it("refuses numbers a double cannot carry exactly", () => {
    expect(amountError(12345678901234567890)).toMatch(/decimal string/);
    expect(amount("12345678901234567890")).toBe("12345678901234567890");
  });

  it("refuses NaN, Infinity and non-numeric text", () => {
    for (const bad of [NaN, Infinity, -Infinity, "NaN", "Infinity", "abc", "", " 1", "1 ", "1,5", ".5", "01", "+1", "0x10", null, true, {}, []]) {
      expect(amountSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it("positiveAmountSchema refuses zero and negatives", () => {
    expect(positiveAmountSchema.safeParse(0).success).toBe(false);
    expect(positiveAmountSchema.safeParse("-0.01").success).toBe(false);
    expect(positiveAmountSchema.parse("0.000000000001").toFixed()).toBe("0.000000000001");
  });
});

describe("other shared schemas", () => {
  it("assetCodeSchema", () => {
    for (const ok of ["USD", "TOK", "CREDIT", "GPU_HOURS", "A1"]) expect(assetCodeSchema.safeParse(ok).success).toBe(true);
    for (const bad of ["usd", "U", "1USD", "TOO_LONG_ASSET_CODE", "US-D"]) expect(assetCodeSchema.safeParse(bad).success).toBe(false);
  });

  it("isoDateTimeSchema needs a time zone and a real date", () => {
    expect(isoDateTimeSchema.parse("2024-01-01T10:00:00+02:00").toISOString()).toBe("2024-01-01T08:00:00.000Z");
    expect(isoDateTimeSchema.parse("2024-02-29T00:00:00Z").toISOString()).toBe("2024-02-29T00:00:00.000Z");
    for (const bad of ["2024-01-01T10:00:00", "2023-02-29T00:00:00Z", "2024-04-31T00:00:00Z", "yesterday", 1700000000]) {
      expect(isoDateTimeSchema.safeParse(bad).success, String(bad)).toBe(false);
    }
  });

  it("metadataSchema is flat and bounded", () => {
    expect(metadataSchema.safeParse({ plan: "pro", seats: 3, trial: false }).success).toBe(true);
    const nested = metadataSchema.safeParse({ a: { b: 1 } });
    expect(nested.error?.issues[0]?.path).toEqual(["a"]);
    expect(metadataSchema.safeParse({ ["k".repeat(41)]: 1 }).success).toBe(false);
    expect(metadataSchema.safeParse({ k: "v".repeat(501) }).success).toBe(false);
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i]));
    expect(metadataSchema.safeParse(many).success).toBe(false);
  });

  it("idSchema checks the prefix", () => {
    const customerId = idSchema("cust");
    expect(customerId.safeParse("cust_473cr1y0ghbyc3m1yfbwvn3nxx").success).toBe(true);
    expect(customerId.safeParse("top_473cr1y0ghbyc3m1yfbwvn3nxx").success).toBe(false);
    expect(customerId.safeParse("cust_../../etc").success).toBe(false);
  });
});
