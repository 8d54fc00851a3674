import { getAutoTopUpSettings } from "@/lib/auto-top-ups/settings";
import type { AutoTopUpSettings } from "@/lib/auto-top-ups";
import { getCustomerWithSubscriptions, type Customer } from "@/lib/customers/customers";
import type { Hold } from "@/lib/holds/hold";
import { listHolds } from "@/lib/holds/read-holds";
import type { Tenant } from "@/lib/tenant";
import { listTopUps, type TopUp } from "@/lib/top-ups";
import { listEvents, type UsageEvent } from "@/lib/usage/list-events";
import { getWallet, listCreditGrants, listTransactions, type CreditGrant, type LedgerTransaction, type WalletAccount } from "@/lib/wallet/wallet-views";

export interface CustomerOverview {
  customer: Customer;
  accounts: WalletAccount[];
  autoTopUps: AutoTopUpSettings[];
  creditGrants: CreditGrant[];
  transactions: LedgerTransaction[];
  events: UsageEvent[];
  topUps: TopUp[];
  /** Open holds first (newest first), then the latest closed ones: 25 in all, or every open one if more. */
  holds: Hold[];
}

const RECENT = { limit: 25, offset: 0 };

/**
 * Everything the console's customer page shows, read with the API's own domain functions
 * (so the console sees exactly what the API answers). Another platform's or mode's
 * customer is a NotFoundError, from the first read.
 */
export async function getCustomerOverview(tenant: Tenant, customerId: string): Promise<CustomerOverview> {
  const customer = await getCustomerWithSubscriptions(tenant, customerId);
  const [wallet, grants, transactions, events, topUps, openHolds, latestHolds] = await Promise.all([
    getWallet(tenant, customer.id),
    listCreditGrants(tenant, customer.id, RECENT),
    listTransactions(tenant, customer.id, RECENT),
    listEvents(tenant, { customerId: customer.id }, RECENT),
    listTopUps(tenant, { customerId: customer.id }, RECENT),
    listHolds(tenant, customer.id, "held", RECENT),
    listHolds(tenant, customer.id, undefined, RECENT),
  ]);
  const open = new Set(openHolds.items.map((h) => h.id));
  const holds = [...openHolds.items, ...latestHolds.items.filter((h) => !open.has(h.id))].slice(0, Math.max(RECENT.limit, openHolds.items.length));
  const autoTopUps = (await Promise.all(wallet.accounts.map((a) => getAutoTopUpSettings(tenant, customer.id, a.id)))).filter(
    (s): s is AutoTopUpSettings => s !== null,
  );
  return {
    customer,
    accounts: wallet.accounts,
    autoTopUps,
    creditGrants: grants.items,
    transactions: transactions.items,
    events: events.items,
    topUps: topUps.items,
    holds,
  };
}
