import type { Tenant } from "@/lib/tenant";
import { pool } from "@/lib/db";
import { readWallet, type AccountBalance } from "@/lib/ledger";
// Its batches write webhooks (grant expiries, low balances) through lib/webhooks' outbox listener.
import "@/lib/webhooks/ledger-outbox";
import { Dec, formatAmount, ZERO } from "@/lib/money";
import { assetOf, portalAssets } from "./portal-assets";
import type { PortalAccount, PortalAsset, PortalOverview, PortalSpend } from "./types";

/** Days in the overview's spend chart (today included). */
export const SPEND_DAYS = 30;
/** An account is low when it holds less than this many days of its recent average spend. */
export const LOW_BALANCE_DAYS = 7;

const DAY_MS = 24 * 60 * 60 * 1000;

function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * Spend per account and UTC day since `since`: what charges took from the customer's
 * accounts (entries of `charge` transactions) less what reversals of charges gave back.
 * Credits, expiries and reversed credits are not spend.
 */
async function dailySpend(customerId: string, since: Date): Promise<{ name: string; asset: string; day: string; amount: string }[]> {
  const { rows } = await pool().query<{ name: string; asset: string; day: string; amount: string }>(
    `SELECT a.name, a.asset, to_char(e.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, sum(-e.amount) AS amount
       FROM ledger_entries e
       JOIN ledger_transactions t ON t.id = e.transaction_id AND t.customer_id = e.customer_id
       LEFT JOIN ledger_transactions o ON o.id = t.reverses_id AND o.customer_id = t.customer_id
       JOIN accounts a ON a.id = e.account_id AND a.customer_id = e.customer_id
      WHERE e.customer_id = $1 AND e.created_at >= $2
        AND (t.kind = 'charge' OR (t.kind = 'reverse' AND o.kind = 'charge'))
      GROUP BY 1, 2, 3`,
    [customerId, since],
  );
  return rows;
}

/**
 * Low balance: below the account's `low_balance_threshold` when the platform set one (the
 * threshold of the `wallet.balance_low` webhook); otherwise nothing left (available <= 0)
 * or less than LOW_BALANCE_DAYS of the account's average daily spend over the last
 * SPEND_DAYS days, so an account nobody spends from is low only when empty.
 */
export function lowBalance(available: Dec, spentLast30Days: Dec, threshold: Dec | null = null): boolean {
  if (threshold) return available.lt(threshold);
  if (available.lte(0)) return true;
  if (spentLast30Days.lte(0)) return false;
  return available.lt(spentLast30Days.div(SPEND_DAYS).times(LOW_BALANCE_DAYS));
}

export function portalAccount(account: AccountBalance, asset: PortalAsset, spentLast30Days: Dec, threshold: Dec | null = null): PortalAccount {
  return {
    id: account.id,
    name: account.name,
    asset,
    available: formatAmount(account.available),
    pending_in: formatAmount(account.pendingIn),
    reserved: formatAmount(account.pendingOut),
    low_balance: lowBalance(account.available, spentLast30Days, threshold),
  };
}

/** Each account's low-balance threshold (set through the API), keyed `name:ASSET`. */
async function lowBalanceThresholds(customerId: string): Promise<Map<string, Dec>> {
  const { rows } = await pool().query<{ name: string; asset: string; threshold: string }>(
    `SELECT name, asset, low_balance_threshold AS threshold FROM accounts
      WHERE customer_id = $1 AND low_balance_threshold IS NOT NULL`,
    [customerId],
  );
  return new Map(rows.map((r) => [`${r.name}:${r.asset}`, new Dec(r.threshold)]));
}

/** The overview page: balances, this month's spend and the 30-day daily spend, per asset. */
export async function getPortalOverview(tenant: Tenant, customerId: string, now = new Date()): Promise<PortalOverview> {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const chartStart = new Date(today - (SPEND_DAYS - 1) * DAY_MS);
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const since = monthStart < chartStart ? monthStart : chartStart;

  const [accounts, spendRows, thresholds] = await Promise.all([
    readWallet(customerId),
    dailySpend(customerId, since),
    lowBalanceThresholds(customerId),
  ]);
  const assets = await portalAssets(tenant, [...accounts.map((a) => a.asset), ...spendRows.map((r) => r.asset)]);

  const days = Array.from({ length: SPEND_DAYS }, (_, i) => utcDay(new Date(chartStart.getTime() + i * DAY_MS)));
  const chartFrom = days[0]!;
  const monthFrom = utcDay(monthStart);
  const spendAssets = [...new Set([...accounts.map((a) => a.asset), ...spendRows.map((r) => r.asset)])];

  const spend: PortalSpend[] = spendAssets.map((code) => {
    const rows = spendRows.filter((r) => r.asset === code);
    const byDay = new Map<string, Dec>();
    for (const r of rows) byDay.set(r.day, (byDay.get(r.day) ?? ZERO).plus(r.amount));
    const thisMonth = rows.filter((r) => r.day >= monthFrom).reduce((s, r) => s.plus(r.amount), ZERO);
    return {
      asset: assetOf(assets, code),
      this_month: formatAmount(thisMonth),
      daily: days.map((date) => ({ date, amount: formatAmount(byDay.get(date) ?? ZERO) })),
    };
  });

  const last30 = (a: AccountBalance) =>
    spendRows.filter((r) => r.name === a.name && r.asset === a.asset && r.day >= chartFrom).reduce((s, r) => s.plus(r.amount), ZERO);
  return {
    accounts: accounts.map((a) => portalAccount(a, assetOf(assets, a.asset), last30(a), thresholds.get(a.id) ?? null)),
    spend,
  };
}
