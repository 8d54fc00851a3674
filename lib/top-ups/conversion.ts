import { unitsForAmount } from "@/lib/catalog/quote-asset";
import type { Asset } from "@/lib/catalog/types";
import { ValidationError } from "@/lib/errors";
import { Dec, fiatCurrencies, toStored, type FiatCurrency } from "@/lib/money";

export interface TopUpConversion {
  /**
   * Units of the destination asset credited per unit of the paid currency (PRODUCT.md
   * "Top-up conversion"): what the request sent, or 1 / the asset's stored price (12 places).
   */
  exchangeRate: Dec;
  /** What a successful payment credits, in the destination asset (12 decimal places). */
  creditAmount: Dec;
  /** The asset's stored price of one unit in the currency, when the credit was computed from it. */
  assetPrice: Dec | null;
}

const ONE = new Dec(1);

/** The fiat currency Stripe charges in, or a 422 on `currency`. */
export function topUpCurrencyOrThrow(code: string): FiatCurrency {
  const currency = fiatCurrencies.get(code);
  if (!currency) {
    throw new ValidationError(`${code} is not a supported payment currency`, [
      { field: "currency", message: `Must be one of ${[...fiatCurrencies.keys()].join(", ")}` },
    ]);
  }
  return currency;
}

/**
 * The top-up conversion rule (PRODUCT.md): credited = amount × exchange_rate, where
 * exchange_rate is in destination units per unit of `currency`.
 * - Same asset (USD → USD): credits `amount` exactly; an exchange_rate other than 1 is a
 *   422 (the seed's 1000000 is a typo, not a reason to credit $50,000,000).
 * - Explicit exchange_rate: amount × rate, rounded half-even to the stored 12 places.
 * - Otherwise the asset's stored price for `currency` (price of one unit): amount / price,
 *   exactly as `POST /assets/{code}/quote` computes it (unitsForAmount), so what the
 *   portal quotes is what is credited. No stored rate for the currency is a 422.
 * A conversion that credits nothing at the stored scale is a 422 too.
 */
export function convertTopUp(amount: Dec, currency: FiatCurrency, destination: Asset, exchangeRate?: Dec): TopUpConversion {
  if (destination.code === currency.code) {
    if (exchangeRate && !exchangeRate.eq(ONE)) {
      throw new ValidationError(`A ${currency.code} top-up into ${destination.code} credits the amount as is: the same asset needs rate 1`, [
        { field: "destination/exchange_rate", message: "Must be 1 (or omitted) when the destination asset is the payment currency" },
      ]);
    }
    return { exchangeRate: ONE, creditAmount: amount, assetPrice: null };
  }
  if (exchangeRate) {
    return checked({ exchangeRate, creditAmount: toStored(amount.times(exchangeRate)), assetPrice: null });
  }
  const price = destination.rates.find((r) => r.source === currency.code)?.rate;
  if (!price) {
    throw new ValidationError(`Asset ${destination.code} has no rate in ${currency.code}: send destination.exchange_rate`, [
      { field: "destination/exchange_rate", message: `Required: ${destination.code} has no stored rate in ${currency.code}` },
    ]);
  }
  return checked({ exchangeRate: toStored(ONE.div(price)), creditAmount: unitsForAmount(amount, price), assetPrice: price });
}

function checked(conversion: TopUpConversion): TopUpConversion {
  if (!conversion.creditAmount.gt(0) || !conversion.exchangeRate.gt(0)) {
    throw new ValidationError("The top-up would credit nothing at 12 decimal places", [
      { field: "destination/exchange_rate", message: "Too small: the credited amount rounds to 0" },
    ]);
  }
  return conversion;
}

/** Stripe's integer amount in the currency's minor units (ISO 4217 precision: cents, yen). */
export function toMinorUnits(amount: Dec, currency: FiatCurrency): number {
  const minor = amount.times(new Dec(10).pow(currency.precision));
  if (!minor.isInteger()) throw new Error(`${amount.toFixed()} ${currency.code} is not a whole number of minor units`);
  return minor.toNumber();
}

/** The decimal amount of `minor` minor units of the currency. */
export function fromMinorUnits(minor: number, currency: FiatCurrency): Dec {
  return new Dec(minor).div(new Dec(10).pow(currency.precision));
}
