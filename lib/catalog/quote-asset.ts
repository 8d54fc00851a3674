import { ValidationError } from "@/lib/errors";
import { Dec, fiatCurrencies, toStored } from "@/lib/money";
import { getAssetOrThrow } from "./get-asset";
import type { Tenant } from "@/lib/tenant";

/**
 * The units of an asset that `amount` of a source currency buys, given the asset's
 * `rate` (price of one unit in that currency): amount / rate, computed exactly and
 * rounded half-even to the stored 12 places. Top-ups credit by the same rule.
 */
export function unitsForAmount(amount: Dec, rate: Dec): Dec {
  return toStored(amount.div(rate));
}

export type QuoteInput = { source: string; amount: Dec; units?: undefined } | { source: string; units: Dec; amount?: undefined };

export interface AssetQuote {
  asset: string;
  source: string;
  /** Price of one unit of `asset` in `source`. */
  rate: Dec;
  /** What is paid, in `source`. */
  amount: Dec;
  /** What that payment credits, in `asset`. */
  units: Dec;
}

/**
 * `POST /assets/{code}/quote`: converts between a payment in a fiat `source` currency and
 * units of the asset, with the asset's stored rate for that source.
 * - `{ source, amount }`: `units` = what paying `amount` credits (unitsForAmount).
 * - `{ source, units }`: `amount` = the smallest payable amount (rounded up to the source
 *   currency's precision) that buys at least `units`; the answer's `units` is what that
 *   amount actually credits, so a quote always reads "pay `amount`, get `units`".
 * An amount with more decimals than the currency allows, units with more decimals than
 * the asset's precision, or a source the asset has no rate for is a 422.
 */
export async function quoteAsset(tenant: Tenant, code: string, input: QuoteInput): Promise<AssetQuote> {
  const asset = await getAssetOrThrow(tenant, code);
  const source = fiatCurrencies.get(input.source);
  const rate = asset.rates.find((r) => r.source === input.source)?.rate;
  if (!source || !rate) {
    const known = asset.rates.map((r) => r.source).join(", ") || "none";
    throw new ValidationError(`Asset ${asset.code} has no rate in ${input.source}`, [
      { field: "source", message: `No rate for ${input.source}; rates: ${known}` },
    ]);
  }
  if (input.amount !== undefined) {
    if (!input.amount.gt(0)) throw invalid("amount", "Must be greater than 0");
    if (input.amount.decimalPlaces() > source.precision) throw invalid("amount", `${source.code} allows at most ${source.precision} decimal places`);
    return { asset: asset.code, source: source.code, rate, amount: input.amount, units: unitsForAmount(input.amount, rate) };
  }
  if (!input.units.gt(0)) throw invalid("units", "Must be greater than 0");
  if (input.units.decimalPlaces() > asset.precision) throw invalid("units", `${asset.code} allows at most ${asset.precision} decimal places`);
  const amount = input.units.times(rate).toDecimalPlaces(source.precision, Dec.ROUND_CEIL);
  return { asset: asset.code, source: source.code, rate, amount, units: unitsForAmount(amount, rate) };
}

function invalid(field: string, message: string): ValidationError {
  return new ValidationError(message, [{ field, message }]);
}
