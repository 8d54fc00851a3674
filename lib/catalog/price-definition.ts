import { Dec, formatAmount } from "@/lib/money";
import type { SubscribedPrice } from "@/lib/pricing";
import type { PriceInput, PriceValueInput } from "./types";

/**
 * Prices as a product version stores them (`product_versions.prices`): the validated
 * request, verbatim, except that amounts are canonical decimal strings ("1.25"), so the
 * JSON column never holds a binary float. Only this module reads or writes that column's
 * amounts.
 */
const AMOUNT_KEYS = ["unit_price", "volume_rate", "package_size", "amount"] as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Deep copy of plain JSON-like data with every value under an amount key mapped by `fn`. */
export function mapAmounts(value: unknown, fn: (amount: unknown) => unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => mapAmounts(v, fn));
  if (value === null || typeof value !== "object" || value instanceof Dec) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    // Dimension names are the platform's words ("amount" is a fine dimension): copied as is.
    if (key === "dimensions") out[key] = { ...(v as object) };
    else out[key] = (AMOUNT_KEYS as readonly string[]).includes(key) ? fn(v) : mapAmounts(v, fn);
  }
  return out;
}

/** PriceInput → JSON for the database: each Dec becomes its plain decimal text. */
export function pricesToStored(prices: readonly PriceInput[]): Json {
  return mapAmounts(prices, (v) => formatAmount(v as Dec)) as Json;
}

/** JSON from the database → PriceInput, amounts back to Dec. */
export function pricesFromStored(stored: unknown): PriceInput[] {
  return mapAmounts(stored, (v) => new Dec(String(v))) as PriceInput[];
}

/** Every asset code a set of prices charges in (validated against the catalog on write). */
export function pricedAssets(prices: readonly PriceInput[]): { asset: string; field: string }[] {
  return prices.flatMap((price, i) => price.pricing.map((p, j) => ({ asset: p.asset, field: `prices/${i}/pricing/${j}/asset` })));
}

/** The usage prices of one product version in the shape lib/pricing computes fees from. */
export function toSubscribedPrices(productId: string, productVersion: number, prices: readonly PriceInput[]): SubscribedPrice[] {
  const out: SubscribedPrice[] = [];
  for (const price of prices) {
    if (price.type !== "usage_based") continue;
    const calc = price.usage_calculation;
    out.push({
      productId,
      productVersion,
      name: price.name,
      usageCalculation: {
        eventType: calc.event_type,
        usageType: calc.usage_type,
        volumeField: calc.volume_field,
        billableDimensions: calc.billable_dimensions,
        sourceReferenceField: calc.source_reference_field,
      },
      pricing: price.pricing.map(({ asset, values }) => ({ asset, values: values.map(toPriceValue) })),
    });
  }
  return out;
}

function toPriceValue(v: PriceValueInput): SubscribedPrice["pricing"][number]["values"][number] {
  return { dimensions: v.dimensions, unitPrice: v.unit_price, volumeRate: v.volume_rate, packageSize: v.package_size };
}
