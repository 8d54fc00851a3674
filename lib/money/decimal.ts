import Decimal from "decimal.js";

/**
 * Exact decimal arithmetic for money. Everything the ledger stores is NUMERIC(38,12);
 * this Decimal is configured wide enough that no intermediate result of a fee or a
 * conversion is rounded before it is stored. JS numbers are never used for money.
 */
export const Dec = Decimal.clone({ precision: 80, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -40, toExpPos: 60 });
export type Dec = InstanceType<typeof Dec>;

/** Decimal places kept in storage. */
export const STORED_SCALE = 12;
/** NUMERIC(38,12) holds at most 26 integer digits. */
const MAX_INTEGER_DIGITS = 26;

export const ZERO = new Dec(0);

export function dec(v: Dec | string | number): Dec {
  if (v instanceof Dec) return v;
  // JSON numbers arrive as doubles; their shortest round-trip text is what the client wrote.
  return new Dec(typeof v === "number" ? String(v) : v);
}

/** Number of decimal places written (trailing zeros ignored). */
export function decimalPlaces(v: Dec): number {
  return v.decimalPlaces();
}

export function fitsStorage(v: Dec): boolean {
  return v.isFinite() && v.decimalPlaces() <= STORED_SCALE && v.abs().trunc().toFixed(0).length <= MAX_INTEGER_DIGITS;
}

/** Round to the stored scale. Used where a computed value (a fee, a conversion) is stored. */
export function toStored(v: Dec): Dec {
  return v.toDecimalPlaces(STORED_SCALE, Decimal.ROUND_HALF_EVEN);
}

/** Plain decimal text without exponent and without trailing zeros: "14.566678", "0.000000000001". */
export function formatAmount(v: Dec | string): string {
  const d = dec(v);
  const s = d.toFixed();
  if (!s.includes(".")) return s === "-0" ? "0" : s;
  const trimmed = s.replace(/0+$/, "").replace(/\.$/, "");
  return trimmed === "-0" ? "0" : trimmed;
}

/** Money as a JSON number, the shape of the seed ("available": 14.566678). */
export function amountToJson(v: Dec | string): number {
  return Number(formatAmount(v));
}
