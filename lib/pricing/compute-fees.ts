import { Dec, ZERO, dec, toStored } from "@/lib/money";
import type { Fee, PriceValue, SubscribedPrice, UnpricedPrice, UsageEventInput } from "./types";

/**
 * Prices one usage event against a customer's subscribed prices (PRODUCT.md "Usage event").
 * Pure: no database, no clock. Rules, and the choices made where PRODUCT.md is silent:
 *
 * - A price applies when its `usage_calculation.event_type` equals the event's. Several
 *   prices (of one or several products) may apply; each yields its own fee, and a price
 *   priced in several assets yields one fee per asset.
 * - Within one asset's table the most specific matching row wins: a row matches when each
 *   of its dimensions is `"*"` or equals `data[dimension]` (strings as sent; numbers and
 *   booleans as `String(v)`). Specificity = number of exact (non-`"*"`) dimensions, so an
 *   exact row beats a `"*"` row, and a row without dimensions (matches always) is the last
 *   resort. Ties go to the row listed first. `"*"` also matches a missing dimension.
 *   No matching row: that price charges nothing (reported in `unpriced`).
 * - unit: `unit_price`. volume: `data[volume_field] / package_size × volume_rate`
 *   (package_size defaults to 1). unit_and_volume: the sum of both.
 * - Volume is read exactly: JSON numbers through `String(n)`, numeric strings as written;
 *   never binary floating point. A MISSING (absent or null) volume field makes the WHOLE
 *   EVENT unbilled with reason `missing_volume_field`: usage is never silently billed as
 *   0. A volume that is present but not a non-negative decimal (e.g. "abc", true, -5, {})
 *   makes it unbilled with reason `invalid_volume`: malformed data is never half-charged.
 * - Field names: a `volume_field` or billable dimension written in snake_case
 *   (`input_tokens`) also reads the camelCase key (`inputTokens`) when the exact key is
 *   absent, since clients serialise the same event either way (Credyt's own TypeScript
 *   and REST examples do). The exact key always wins.
 * - The sum is computed exactly and rounded once, half-even, to 12 places (the stored
 *   scale). Fees that round to zero are left out of `fees` (nothing to debit); the event
 *   still counts as matched, so a free price bills an event without a fee.
 * - A fee is never capped here, however large (volume 1e20 × volume_rate 1e20): the
 *   ledger refuses a charge above the largest amount (lib/money/limits.ts) and the usage
 *   module stores such an event as refused (`amount_too_large`) with the fee it computed.
 */
export function computeFees(prices: readonly SubscribedPrice[], event: UsageEventInput): Fee[] {
  return priceEvent(prices, event).fees;
}

export type UnbilledReason = "no_matching_price" | "no_matching_dimensions" | "missing_volume_field" | "invalid_volume";

export interface PricedEvent {
  /** Fees to debit, each > 0 and rounded to 12 places. Empty when `unbilledReason` is set. */
  fees: Fee[];
  /** Set when the event must be stored as unbilled; absent when at least one price row applied. */
  unbilledReason?: UnbilledReason;
  /** Human-readable explanation accompanying `unbilledReason`. */
  detail?: string;
  /** Prices whose event_type matched but charged nothing, with why. */
  unpriced: UnpricedPrice[];
  /**
   * The event's source reference (Credyt's `source_reference_field`): the value in `data`
   * of the field named by the first price of the event's type whose field the data has (a
   * string, or a number or boolean as its text; pricing stops at a volume it cannot read,
   * so prices after that one are not looked at). Kept on the stored event, billed or not.
   */
  sourceReference?: string;
}

/** {@link computeFees} with the reasons a usage module needs to report unbilled events. */
export function priceEvent(prices: readonly SubscribedPrice[], event: UsageEventInput): PricedEvent {
  const fees: Fee[] = [];
  const unpriced: UnpricedPrice[] = [];
  let matchedRows = 0;
  let anyPrice = false;
  let sourceReference: string | undefined;

  for (const price of prices) {
    const calc = price.usageCalculation;
    if (calc.eventType !== event.event_type) continue;
    anyPrice = true;
    if (sourceReference === undefined && calc.sourceReferenceField !== undefined) sourceReference = dimensionValue(event.data, calc.sourceReferenceField);
    const ids = { productId: price.productId, productVersion: price.productVersion, priceName: price.name };

    let volume: Dec = ZERO;
    if (calc.usageType !== "unit" && calc.volumeField !== undefined) {
      const read = readVolume(event.data, calc.volumeField);
      if (read === "missing") {
        const detail = `data.${calc.volumeField} is missing: price "${price.name}" charges by it`;
        return { fees: [], unbilledReason: "missing_volume_field", detail, unpriced: [], sourceReference };
      }
      if (read === "invalid") {
        const detail = `data.${calc.volumeField} must be a non-negative number (price "${price.name}")`;
        return { fees: [], unbilledReason: "invalid_volume", detail, unpriced: [], sourceReference };
      }
      volume = read;
    }

    for (const { asset, values } of price.pricing) {
      const row = selectPriceValue(values, event.data);
      if (!row) {
        unpriced.push({ ...ids, asset, reason: "no_matching_dimensions", detail: describeDimensions(calc.billableDimensions, event.data) });
        continue;
      }
      matchedRows++;
      const amount = toStored(rowAmount(calc.usageType, row, volume));
      if (!amount.isZero()) fees.push({ amount, asset, ...ids });
    }
  }

  if (matchedRows > 0) return { fees, unpriced, sourceReference };
  if (!anyPrice) return { fees: [], unbilledReason: "no_matching_price", detail: `no subscribed price for event_type "${event.event_type}"`, unpriced };
  return { fees: [], unbilledReason: "no_matching_dimensions", detail: unpriced[0]?.detail, unpriced, sourceReference };
}

/** Exact fee of one row before rounding. */
function rowAmount(usageType: SubscribedPrice["usageCalculation"]["usageType"], row: PriceValue, volume: Dec): Dec {
  let amount = ZERO;
  if (usageType === "unit" || usageType === "unit_and_volume") amount = amount.plus(row.unitPrice ?? ZERO);
  if (usageType === "volume" || usageType === "unit_and_volume") {
    // Multiply before dividing: the only inexact step is one division at 80 digits.
    amount = amount.plus(volume.times(row.volumeRate ?? ZERO).div(row.packageSize ?? 1));
  }
  return amount;
}

/** The most specific row whose dimensions all match; ties to the first listed. */
export function selectPriceValue(values: readonly PriceValue[], data: Readonly<Record<string, unknown>>): PriceValue | undefined {
  let best: PriceValue | undefined;
  let bestScore = -1;
  for (const value of values) {
    let score = 0;
    let matches = true;
    for (const [name, wanted] of Object.entries(value.dimensions ?? {})) {
      if (wanted === "*") continue;
      if (dimensionValue(data, name) !== wanted) {
        matches = false;
        break;
      }
      score++;
    }
    if (matches && score > bestScore) {
      best = value;
      bestScore = score;
    }
  }
  return best;
}

function ownExact(data: Readonly<Record<string, unknown>>, field: string): unknown {
  // Own properties only: "constructor" or "__proto__" must not read the prototype.
  return Object.prototype.hasOwnProperty.call(data, field) ? data[field] : undefined;
}

/** `data[field]`, or for a snake_case field whose exact key is absent, its camelCase key. */
function own(data: Readonly<Record<string, unknown>>, field: string): unknown {
  const exact = ownExact(data, field);
  if (exact !== undefined || !field.includes("_")) return exact;
  return ownExact(data, snakeToCamel(field));
}

function snakeToCamel(field: string): string {
  return field.replace(/_+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function dimensionValue(data: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const v = own(data, name);
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return undefined;
}

const decimalText = /^\+?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Absent or null → "missing"; a non-negative finite number or decimal string → exact Dec; else "invalid". */
export function readVolume(data: Readonly<Record<string, unknown>>, field: string): Dec | "missing" | "invalid" {
  const v = own(data, field);
  if (v === undefined || v === null) return "missing";
  let parsed: Dec;
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return "invalid";
    parsed = dec(String(v));
  } else if (typeof v === "string" && decimalText.test(v.trim())) {
    parsed = new Dec(v.trim());
  } else {
    return "invalid";
  }
  return parsed.isNegative() || !parsed.isFinite() ? "invalid" : parsed;
}

function describeDimensions(dimensions: readonly string[] | undefined, data: Readonly<Record<string, unknown>>): string {
  const shown = (dimensions ?? []).map((d) => `${d}=${JSON.stringify(own(data, d) ?? null)}`).join(", ");
  return `no price row matches the event's dimensions${shown ? ` (${shown})` : ""}`;
}
