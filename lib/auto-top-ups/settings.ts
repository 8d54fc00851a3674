import { resolveAsset } from "@/lib/catalog/get-asset";
import { assertCustomerOfTenant } from "@/lib/customers/customers";
import { prisma } from "@/lib/db";
import { NotFoundError, ValidationError, type FieldError } from "@/lib/errors";
import { parseAccountKey } from "@/lib/ledger";
import { Dec, assertWithinAmountLimit, fiatCurrencies, formatAmount, isFiat } from "@/lib/money";
import { defaultCard, findCustomerCard, type SavedCard } from "@/lib/payment-methods";
import type { Tenant } from "@/lib/tenant";
import { convertTopUp } from "@/lib/top-ups";
import { settingsFromRow, type AutoTopUpSettings, type DisabledReason } from "./auto-top-up";
// Whoever loads the settings (the portal's pages too, whose batches expire grants) has the
// trigger registered: a crossing in any module graph records its request.
import "./auto-top-up-trigger";
import { requestAutoTopUpIfBelow } from "./auto-top-up-records";
import { invalidateAutoTopUpCache } from "./enabled-settings-cache";
import { requestAutoTopUpRun } from "./request-auto-top-up-run";

/**
 * Stripe's smallest charge per currency (https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts),
 * in the currency's units. An auto top-up below it could never be paid, so it is refused
 * when the settings are saved, not at 3 a.m. when the balance crosses the threshold.
 */
const STRIPE_MINIMUM_CHARGE: Record<string, string> = {
  USD: "0.50", EUR: "0.50", GBP: "0.30", CAD: "0.50", AUD: "0.50", CHF: "0.50", SEK: "3.00", NOK: "3.00",
  DKK: "2.50", PLN: "2.00", INR: "0.50", BRL: "0.50", MXN: "10.00", SGD: "0.50", JPY: "50", KRW: "500",
};

export function stripeMinimumCharge(currency: string): Dec {
  return new Dec(STRIPE_MINIMUM_CHARGE[currency] ?? "0.50");
}

/** What the cardholder (the portal) sends; the platform API only reads and disables. */
export interface AutoTopUpSettingsInput {
  enabled: boolean;
  /** Fires when the available balance drops below this (in the account's asset). */
  threshold: Dec;
  /** The payment, in `currency`. */
  amount: Dec;
  /** Default: the asset when it is a fiat currency, else USD. */
  currency?: string | null;
  /** A saved card of this customer; default: its default card. Required (one way or the other) to enable. */
  paymentMethodId?: string | null;
  /** Most that auto top-ups may pay in one calendar month (UTC), in `currency`; at least `amount`. */
  monthlyCap: Dec;
}

/** The account id (`{name}:{ASSET}`) as name and asset, or a 404 (it names no account). */
export function accountOfId(accountId: string): { name: string; asset: string } {
  const parsed = parseAccountKey(accountId);
  if (!parsed) throw new NotFoundError(`no account ${accountId}`);
  return parsed;
}

/**
 * The account's auto top-up settings (null: never configured). Another platform's or
 * mode's customer is a NotFoundError.
 */
export async function getAutoTopUpSettings(tenant: Tenant, customerId: string, accountId: string): Promise<AutoTopUpSettings | null> {
  await assertCustomerOfTenant(tenant, customerId);
  const { name, asset } = accountOfId(accountId);
  const row = await prisma().autoTopUpSettings.findUnique({
    where: { customerId_accountName_asset: { customerId, accountName: name, asset } },
  });
  return row ? settingsFromRow(row) : null;
}

/**
 * Saves an account's auto top-up settings: the cardholder's decision, made in the portal
 * (the platform can only read and disable them). Validated as one unit, every problem a
 * field error of one 422 that writes nothing: threshold and amount positive, the amount a
 * whole number of the currency's minor units and at least Stripe's minimum charge, the
 * monthly cap at least the amount, a custom asset with a rate in the currency (credited as
 * a manual top-up is: convertTopUp), and to enable, a saved card of this customer (the one
 * named, or its default card). Enabling clears a previous failure streak and reason, and
 * when the account is already below the threshold records a request at once.
 */
export async function updateAutoTopUpSettings(
  tenant: Tenant,
  customerId: string,
  accountId: string,
  input: AutoTopUpSettingsInput,
): Promise<AutoTopUpSettings> {
  await assertCustomerOfTenant(tenant, customerId);
  const { name, asset: assetCode } = accountOfId(accountId);
  const asset = await resolveAsset(tenant, assetCode, "account_id");
  const errors: FieldError[] = [];
  const currencyCode = (input.currency ?? (isFiat(asset.code) ? asset.code : "USD")).toUpperCase();
  const currency = fiatCurrencies.get(currencyCode);
  if (!currency) errors.push({ field: "currency", message: `Must be one of ${[...fiatCurrencies.keys()].join(", ")}` });

  errors.push(
    ...autoTopUpAmountErrors(input, (amount) => {
      // An unknown currency is its own field error above; the amount's rules need one.
      if (!currency) return "skip";
      const minimum = stripeMinimumCharge(currency.code);
      if (amount.decimalPlaces() > currency.precision) return `${currency.code} amounts have at most ${currency.precision} decimal places`;
      if (amount.lt(minimum)) return `Must be at least ${formatAmount(minimum)} ${currency.code}, Stripe's smallest charge`;
      return null;
    }),
  );
  if (currency && errors.length === 0) {
    try {
      convertTopUp(input.amount, currency, asset);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      errors.push({ field: "currency", message: error.message });
    }
  }

  let card: SavedCard | null = null;
  if (input.paymentMethodId) {
    card = await findCustomerCard(tenant, customerId, input.paymentMethodId);
    if (!card) errors.push({ field: "payment_method_id", message: "Not a saved card of this customer" });
  } else if (input.enabled) {
    card = await defaultCard(tenant, customerId);
    if (!card) errors.push({ field: "payment_method_id", message: "Save a card first: auto top-up pays with a saved card" });
  }
  if (errors.length) throw new ValidationError(errors.map((e) => `${e.field}: ${e.message}`).join("; "), errors);

  const values = {
    enabled: input.enabled,
    threshold: input.threshold.toFixed(),
    amount: input.amount.toFixed(),
    currency: currency!.code,
    paymentMethodId: card?.id ?? null,
    monthlyCap: input.monthlyCap.toFixed(),
    updatedAt: new Date(),
    ...(input.enabled ? { consecutiveFailures: 0, disabledReason: null } : {}),
  };
  const row = await prisma().autoTopUpSettings.upsert({
    where: { customerId_accountName_asset: { customerId, accountName: name, asset: asset.code } },
    create: { customerId, accountName: name, asset: asset.code, ...values },
    update: values,
  });
  invalidateAutoTopUpCache(customerId);
  // Already below the threshold: refill now rather than wait for a crossing that cannot come.
  if (row.enabled && (await requestAutoTopUpIfBelow(customerId, name, asset.code))) requestAutoTopUpRun();
  return settingsFromRow(row);
}

/**
 * Switches an account's auto top-up off (the platform's DELETE, or the card's removal),
 * keeping the rest of the settings so the cardholder can switch it back on. Idempotent;
 * null when the account never had settings. A request already in flight finishes.
 */
export async function disableAutoTopUp(
  tenant: Tenant,
  customerId: string,
  accountId: string,
  reason: DisabledReason = "platform",
): Promise<AutoTopUpSettings | null> {
  await assertCustomerOfTenant(tenant, customerId);
  const { name, asset } = accountOfId(accountId);
  const updated = await prisma().autoTopUpSettings.updateManyAndReturn({
    where: { customerId, accountName: name, asset },
    data: { enabled: false, disabledReason: reason, updatedAt: new Date() },
  });
  invalidateAutoTopUpCache(customerId);
  return updated[0] ? settingsFromRow(updated[0]) : null;
}

/**
 * The rules of an auto top-up's threshold, amount and monthly cap, as field errors: each
 * greater than 0 and within the largest amount, the cap at least one top-up's amount. The
 * portal's settings and the platform's suggestions (auto-top-up-defaults.ts) keep the same
 * ones; `amountRule` adds the payment currency's (a message, or "skip" to leave the amount
 * unchecked past being positive).
 */
export function autoTopUpAmountErrors(
  input: { threshold: Dec; amount: Dec; monthlyCap: Dec },
  amountRule: (amount: Dec) => string | null | "skip" = () => null,
): FieldError[] {
  const errors: FieldError[] = [];
  if (!input.threshold.gt(0)) errors.push({ field: "threshold", message: "Must be greater than 0" });
  else limitError(errors, input.threshold, "threshold");
  if (!input.amount.gt(0)) errors.push({ field: "amount", message: "Must be greater than 0" });
  else {
    const rule = amountRule(input.amount);
    if (rule === null) limitError(errors, input.amount, "amount");
    else if (rule !== "skip") errors.push({ field: "amount", message: rule });
  }
  if (!input.monthlyCap.gt(0)) errors.push({ field: "monthly_cap", message: "Must be greater than 0" });
  else if (input.amount.gt(0) && input.monthlyCap.lt(input.amount)) {
    errors.push({ field: "monthly_cap", message: "Must be at least the amount of one top-up" });
  } else limitError(errors, input.monthlyCap, "monthly_cap");
  return errors;
}

function limitError(errors: FieldError[], value: Dec, field: string) {
  try {
    assertWithinAmountLimit(value, field);
  } catch (error) {
    errors.push({ field, message: (error as Error).message });
  }
}
