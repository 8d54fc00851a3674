import type { Tenant } from "@/lib/tenant";
import { prisma } from "@/lib/db";
import { autoTopUpFromRow } from "@/lib/auto-top-ups/auto-top-up";
import { getAutoTopUpDefaults, type AutoTopUpDefaults } from "@/lib/auto-top-ups/auto-top-up-defaults";
import { disableAutoTopUp, getAutoTopUpSettings, updateAutoTopUpSettings } from "@/lib/auto-top-ups/settings";
import { findAsset } from "@/lib/catalog/get-asset";
import { NotFoundError } from "@/lib/errors";
import { Dec, fiatCurrencies, formatAmount } from "@/lib/money";
import { convertTopUp } from "@/lib/top-ups";
import { listTopUpOptions } from "./portal-top-up";
import type { PortalAutoTopUp, PortalAutoTopUpFailure, PortalTopUpOption } from "./types";

/**
 * The portal's Auto top-up form, one per account the customer can top up. The settings
 * and their validation are lib/auto-top-ups' (the same rules and field errors as the API);
 * this adds what the form shows around them: suggested values for a first setup and the
 * last attempt that failed or hit the cap, with what a manual top-up would pay to fix it.
 */

/**
 * A first setup suggests what the platform set in the console (Settings, auto top-up
 * suggestions), or else buying the account's second preset (20 USD), firing below a
 * quarter of what that buys (5 USD), and a monthly cap of five top-ups (100 USD): enough
 * for steady use, small enough that a runaway job cannot drain the card.
 */
const CAP_TOP_UPS = 5;
const THRESHOLD_SHARE = new Dec("0.25");

export async function listPortalAutoTopUps(tenant: Tenant, customerId: string): Promise<PortalAutoTopUp[]> {
  const [options, defaults] = await Promise.all([listTopUpOptions(tenant, customerId), getAutoTopUpDefaults(tenant.platformId)]);
  return Promise.all(options.map((option) => portalAutoTopUp(tenant, customerId, option, defaults)));
}

async function portalAutoTopUp(tenant: Tenant, customerId: string, option: PortalTopUpOption, defaults: AutoTopUpDefaults | null): Promise<PortalAutoTopUp> {
  const [settings, lastFailure] = await Promise.all([
    getAutoTopUpSettings(tenant, customerId, option.account_id),
    lastFailureOf(customerId, option.account_id),
  ]);
  const spent = settings ? await spentThisMonth(customerId, option.account_id, settings.currency) : null;
  return {
    account_id: option.account_id,
    asset: option.asset,
    currency: settings ? ((await currencyAsset(tenant, settings.currency)) ?? option.currency) : option.currency,
    configured: settings !== null,
    enabled: settings?.enabled ?? false,
    threshold: settings ? formatAmount(settings.threshold) : null,
    amount: settings ? formatAmount(settings.amount) : null,
    monthly_cap: settings ? formatAmount(settings.monthlyCap) : null,
    payment_method_id: settings?.paymentMethodId ?? null,
    disabled_reason: settings?.disabledReason ?? null,
    spent_this_month: spent === null ? null : formatAmount(spent),
    suggested: await suggestedSettings(tenant, option, defaults),
    last_failure: lastFailure,
  };
}

async function currencyAsset(tenant: Tenant, code: string) {
  const asset = await findAsset(tenant, code);
  return asset ? { code: asset.code, name: asset.name, symbol: asset.symbol, precision: asset.precision, is_fiat: asset.isFiat } : null;
}

async function suggestedSettings(tenant: Tenant, option: PortalTopUpOption, defaults: AutoTopUpDefaults | null): Promise<PortalAutoTopUp["suggested"]> {
  const amount = defaults?.amount ?? new Dec(option.presets[1] ?? option.presets[0] ?? "20");
  const currency = fiatCurrencies.get(option.currency.code);
  const asset = await findAsset(tenant, option.asset.code);
  // The platform's threshold is in the payment currency too: converted into the asset like the built-in one.
  const share = defaults?.threshold ?? amount.times(THRESHOLD_SHARE).toDecimalPlaces(option.currency.precision, Dec.ROUND_DOWN);
  let threshold = share;
  if (currency && asset) {
    try {
      threshold = convertTopUp(share, currency, asset).creditAmount;
    } catch {
      // No usable rate: the form still suggests the payment-side figure.
    }
  }
  const cap = defaults?.monthlyCap ?? amount.times(CAP_TOP_UPS);
  return { threshold: formatAmount(threshold), amount: formatAmount(amount), monthly_cap: formatAmount(cap) };
}

/**
 * The newest attempt, when it failed or was capped: what the customer must act on. A later
 * success (or an attempt in flight) replaces it, so a fixed problem stops showing.
 */
async function lastFailureOf(customerId: string, accountId: string): Promise<PortalAutoTopUpFailure | null> {
  const [name, asset] = splitAccountId(accountId);
  const row = await prisma().autoTopUp.findFirst({
    where: { customerId, accountName: name, asset, status: { not: "skipped" } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  if (!row) return null;
  const attempt = autoTopUpFromRow(row);
  if (attempt.status !== "failed" && attempt.status !== "capped") return null;
  return {
    id: attempt.id,
    status: attempt.status,
    code: attempt.failureCode,
    message: attempt.failureMessage ?? (attempt.status === "capped" ? "This month's auto top-up cap is reached." : "The payment failed."),
    amount: formatAmount(attempt.amount),
    created_at: attempt.createdAt.toISOString(),
  };
}

/**
 * What succeeded auto top-ups paid since the 1st of this month, 00:00 UTC, in `currency`:
 * the figure the monthly cap is checked against (lib/auto-top-ups), shown beside the cap.
 */
async function spentThisMonth(customerId: string, accountId: string, currency: string): Promise<Dec> {
  const [name, asset] = splitAccountId(accountId);
  const now = new Date();
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const sum = await prisma().autoTopUp.aggregate({
    where: { customerId, accountName: name, asset, currency, status: "succeeded", createdAt: { gte: monthStart } },
    _sum: { amount: true },
  });
  return new Dec(sum._sum.amount?.toFixed() ?? "0");
}

function splitAccountId(accountId: string): [string, string] {
  const at = accountId.lastIndexOf(":");
  return [accountId.slice(0, at), accountId.slice(at + 1)];
}

export interface PortalAutoTopUpInput {
  enabled: boolean;
  threshold: Dec;
  amount: Dec;
  monthly_cap: Dec;
  payment_method_id?: string | null;
}

/**
 * Saves the form: lib/auto-top-ups' updateAutoTopUpSettings, paid in the account's payment
 * currency (the one its manual top-ups use), so a bad value is the same field error the
 * rules give everywhere. An account the customer cannot top up is a 404.
 */
export async function savePortalAutoTopUp(tenant: Tenant, customerId: string, accountId: string, input: PortalAutoTopUpInput): Promise<PortalAutoTopUp> {
  const option = (await listTopUpOptions(tenant, customerId)).find((o) => o.account_id === accountId);
  if (!option) {
    throw new NotFoundError(`no account ${accountId} to top up`);
  }
  await updateAutoTopUpSettings(tenant, customerId, accountId, {
    enabled: input.enabled,
    threshold: input.threshold,
    amount: input.amount,
    currency: option.currency.code,
    paymentMethodId: input.payment_method_id ?? null,
    monthlyCap: input.monthly_cap,
  });
  return portalAutoTopUp(tenant, customerId, option, await getAutoTopUpDefaults(tenant.platformId));
}

/**
 * Turns off every auto top-up that pays with `cardId` ("card_removed"), before the card is
 * detached: a removed card is never charged, and the customer sees why it stopped.
 */
export async function disableAutoTopUpsOfCard(tenant: Tenant, customerId: string, cardId: string): Promise<void> {
  const using = await prisma().autoTopUpSettings.findMany({
    where: { customerId, paymentMethodId: cardId, enabled: true },
    select: { accountName: true, asset: true },
  });
  for (const s of using) await disableAutoTopUp(tenant, customerId, `${s.accountName}:${s.asset}`, "card_removed");
}
