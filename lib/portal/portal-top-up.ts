import { findAsset } from "@/lib/catalog/get-asset";
import { listAssets } from "@/lib/catalog/list-assets";
import type { Asset } from "@/lib/catalog/types";
import type { Tenant } from "@/lib/tenant";
import { NotFoundError } from "@/lib/errors";
import { parseAccountKey, readWallet } from "@/lib/ledger";
// Its batches write webhooks (grant expiries, low balances) through lib/webhooks' outbox listener.
import "@/lib/webhooks/ledger-outbox";
import { fiatCurrencies, formatAmount, ZERO, type Dec, type FiatCurrency } from "@/lib/money";
import { convertTopUp, getTopUpOrThrow, initiateTopUp } from "@/lib/top-ups";
import { ensureStripeCustomer } from "@/lib/payment-methods";
import { portalAccount } from "./portal-overview";
import { portalAsset } from "./portal-assets";
import { toPortalTopUps } from "./portal-history";
import type { PortalQuote, PortalTopUpOption, PortalTopUpResult } from "./types";

/**
 * Top-ups from the portal. The customer picks an account and an amount in the account's
 * payment currency; a custom asset is paid in the first fiat currency it has a stored
 * rate for, and what that buys is computed by the same conversion the credit will use
 * (lib/top-ups convertTopUp), so the quote shown is what is credited.
 */

const DEFAULT_ACCOUNT = "default";
const PRESETS = [10, 20, 50, 100];

function paymentCurrency(asset: Asset): FiatCurrency | undefined {
  if (asset.isFiat) return fiatCurrencies.get(asset.code);
  const source = asset.rates.find((r) => fiatCurrencies.has(r.source) && r.rate.gt(0))?.source;
  return source ? fiatCurrencies.get(source) : undefined;
}

function presetsFor(currency: FiatCurrency): string[] {
  // Whole-unit presets for cent currencies; a hundred times more for zero-decimal ones (JPY).
  const scale = currency.precision === 0 ? 100 : 1;
  return PRESETS.map((p) => String(p * scale));
}

/**
 * What can be topped up: the customer's accounts, then a `default` account of each of the
 * platform's custom assets the customer has none of yet, and `default:USD` when the
 * customer has no USD account. Assets with no payable rate are left out.
 */
export async function listTopUpOptions(tenant: Tenant, customerId: string): Promise<PortalTopUpOption[]> {
  const [accounts, custom] = await Promise.all([readWallet(customerId), listAssets(tenant, { limit: 100, offset: 0 })]);
  const wanted = accounts.map((a) => ({ name: a.name, code: a.asset }));
  for (const asset of custom.items) {
    if (!wanted.some((w) => w.code === asset.code)) wanted.push({ name: DEFAULT_ACCOUNT, code: asset.code });
  }
  if (wanted.length === 0 || !wanted.some((w) => w.code === "USD")) wanted.push({ name: DEFAULT_ACCOUNT, code: "USD" });
  const options: PortalTopUpOption[] = [];
  for (const w of wanted) {
    const asset = await findAsset(tenant, w.code);
    const currency = asset && paymentCurrency(asset);
    if (!asset || !currency) continue;
    options.push({
      account_id: `${w.name}:${asset.code}`,
      asset: portalAsset(asset),
      currency: portalAsset((await findAsset(tenant, currency.code))!),
      presets: presetsFor(currency),
    });
  }
  return options;
}

async function resolveOption(tenant: Tenant, accountId: string) {
  const key = parseAccountKey(accountId);
  const asset = key && (await findAsset(tenant, key.asset));
  const currency = asset && paymentCurrency(asset);
  if (!key || !asset || !currency) throw new NotFoundError(`no account ${accountId} to top up`);
  return { accountName: key.name, asset, currency };
}

/** What paying `amount` (in the account's payment currency) credits to the account. */
export async function quotePortalTopUp(tenant: Tenant, accountId: string, amount: Dec): Promise<PortalQuote> {
  const { asset, currency } = await resolveOption(tenant, accountId);
  const { creditAmount } = convertTopUp(amount, currency, asset);
  return {
    account_id: accountId,
    amount: formatAmount(amount),
    currency: portalAsset((await findAsset(tenant, currency.code))!),
    credit_amount: formatAmount(creditAmount),
    asset: portalAsset(asset),
  };
}

/**
 * Starts a Stripe Checkout payment for the session's customer and returns its hosted
 * page. No sign-in link: the customer is already signed in. Checkout comes back to
 * /portal/top-ups/{id}/success or …/failure (initiateTopUp's defaults). With `save_card`
 * the card paid with is saved for auto top-up (initiateTopUp's `saveCardTo`).
 */
export async function startPortalTopUp(
  tenant: Tenant,
  customerId: string,
  input: { account_id: string; amount: Dec; save_card?: boolean },
): Promise<{ id: string; redirect_url: string }> {
  const { accountName, asset, currency } = await resolveOption(tenant, input.account_id);
  // "Save this card for auto top-up": Checkout pays as the customer's Stripe customer and keeps the card.
  const saveCardTo = input.save_card ? await ensureStripeCustomer(tenant, customerId) : undefined;
  const { topUp, checkoutUrl } = await initiateTopUp(
    tenant,
    {
      customer_id: customerId,
      amount: input.amount,
      currency: currency.code,
      description: "Billing portal top-up",
      destination: { account_name: accountName, asset: asset.code },
    },
    { signInLink: false, saveCardTo },
  );
  return { id: topUp.id, redirect_url: checkoutUrl };
}

/** A top-up of the session's customer with its account's balance now; another customer's id is a 404. */
export async function getPortalTopUpResult(tenant: Tenant, customerId: string, topUpId: string): Promise<PortalTopUpResult> {
  const topUp = await getTopUpOrThrow(tenant, topUpId);
  if (topUp.customerId !== customerId) throw new NotFoundError(`no top-up ${topUpId}`);
  const [[json], accounts] = await Promise.all([toPortalTopUps(tenant, [topUp]), readWallet(customerId)]);
  const account = accounts.find((a) => a.name === topUp.accountName && a.asset === topUp.asset);
  return { top_up: json!, account: account ? portalAccount(account, json!.asset, ZERO) : null };
}

