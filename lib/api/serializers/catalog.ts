import { mapAmounts } from "@/lib/catalog/price-definition";
import type { AssetQuote } from "@/lib/catalog/quote-asset";
import type { SimulatedEvent } from "@/lib/catalog/simulate-usage";
import type { Asset, PriceInput, Product, ProductVersion, ProductWithVersion, ProductWithVersions } from "@/lib/catalog/types";
import { amountToJson, Dec, formatAmount } from "@/lib/money";
import type { Fee } from "@/lib/pricing";

/** The API's snake_case shapes of catalog objects, as lib/api/schemas/catalog.ts declares them. */

/**
 * Money of a price in a response: a JSON number when that number reads back as the same
 * decimal (what clients send in the product examples), else the exact decimal string.
 */
export function priceAmountToJson(v: Dec): number | string {
  const text = formatAmount(v);
  const asNumber = Number(text);
  return new Dec(String(asNumber)).eq(v) ? asNumber : text;
}

/** PriceInput → the response JSON (the request's shape, amounts as above). */
function pricesToJson(prices: readonly PriceInput[]): Record<string, unknown>[] {
  return mapAmounts(prices, (v) => priceAmountToJson(v as Dec)) as Record<string, unknown>[];
}

export function assetToJson(a: Asset) {
  return {
    code: a.code,
    name: a.name,
    precision: a.precision,
    symbol: a.symbol,
    label: a.label,
    rates: a.rates.map((r) => ({ source: r.source, rate: priceAmountToJson(r.rate) })),
    is_fiat: a.isFiat,
    created_at: a.createdAt?.toISOString() ?? null,
  };
}

export function assetQuoteToJson(q: AssetQuote) {
  return { asset: q.asset, source: q.source, rate: priceAmountToJson(q.rate), amount: priceAmountToJson(q.amount), units: priceAmountToJson(q.units) };
}

function versionFields(v: ProductVersion) {
  return {
    version: v.version,
    status: v.status,
    is_default: v.isDefault,
    prices: pricesToJson(v.prices),
    created_at: v.createdAt.toISOString(),
    published_at: v.publishedAt?.toISOString() ?? null,
  };
}

export function productSummaryToJson(p: Product) {
  return {
    id: p.id,
    code: p.code,
    name: p.name,
    default_version: p.defaultVersion,
    latest_version: p.latestVersion,
    created_at: p.createdAt.toISOString(),
  };
}

/** One version of a product: what POST /products, POST /products/{id} and PATCH answer. */
export function productVersionToJson(p: ProductWithVersion) {
  return { id: p.id, code: p.code, name: p.name, default_version: p.defaultVersion, ...versionFields(p.current) };
}

export function productToJson(p: ProductWithVersions) {
  return { ...productSummaryToJson(p), versions: p.versions.map(versionFields) };
}

export function feeToJson(f: Fee) {
  return { amount: amountToJson(f.amount), asset: f.asset, product_id: f.productId, product_version: f.productVersion, price_name: f.priceName };
}

export function simulatedUsageToJson(results: SimulatedEvent[]) {
  return {
    results: results.map((r) => ({
      event_type: r.event_type,
      status: r.status,
      ...(r.reason ? { reason: r.reason } : {}),
      ...(r.detail ? { detail: r.detail } : {}),
      fees: r.fees.map(feeToJson),
    })),
  };
}
