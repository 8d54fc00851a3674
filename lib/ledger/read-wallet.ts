import { pool } from "@/lib/db";
import { Dec } from "@/lib/money";
import { expireDueGrants } from "./operations";
import { accountKey } from "./types";
import { EFFECTIVE_OVERDRAFT_LIMIT_SQL, PLATFORM_DEFAULT_OVERDRAFT_SQL } from "./wallet-sql";

export interface AccountBalance {
  /** `{name}:{ASSET}` */
  id: string;
  name: string;
  asset: string;
  available: Dec;
  /** Initiated top-ups into this account, not yet paid. */
  pendingIn: Dec;
  /** What open holds still reserve (already taken out of `available`). */
  pendingOut: Dec;
  overdraftLimit: Dec;
  /** null: no `wallet.balance_low` for this account. */
  lowBalanceThreshold: Dec | null;
  createdAt: Date;
}

/**
 * What open, unexpired holds still reserve in account `a` (aliased; an expired hold counts
 * for nothing, even before a batch released it). `a.balance` minus this is `available`.
 */
export const OPEN_HOLDS_OF_ACCOUNT_SQL = `COALESCE((SELECT sum((x->>'amount')::numeric - (x->>'captured')::numeric)
                              FROM holds h CROSS JOIN jsonb_array_elements(h.amounts) x
                             WHERE h.customer_id = a.customer_id AND h.status = 'held' AND h.expires_at > now()
                               AND x->>'account_id' = a.id), 0)`;

/**
 * The customer's accounts with balances as of now: grants past their expiry are expired
 * first (a cheap indexed check; the expiry itself goes through the customer's batch). A
 * due grant kept back for open holds (WalletTx.expireDueGrants) makes each read run that
 * batch until the holds close: rare, and never longer than a hold lives (24 h).
 */
export async function readWallet(customerId: string): Promise<AccountBalance[]> {
  const due = await pool().query({
    name: "ledger_has_due_grants",
    text: `SELECT 1 FROM credit_grants WHERE customer_id = $1 AND status = 'live' AND remaining > 0 AND expires_at <= now() LIMIT 1`,
    values: [customerId],
  });
  if (due.rowCount) await expireDueGrants(customerId);
  const { rows } = await pool().query<{
    name: string; asset: string; balance: string; overdraft_limit: string; low_balance_threshold: string | null; pending_out: string;
    created_at: Date; pending_in: string; held: string;
  }>({
    name: "ledger_read_wallet",
    text: `SELECT a.name, a.asset, a.balance, ${EFFECTIVE_OVERDRAFT_LIMIT_SQL} AS overdraft_limit, a.low_balance_threshold, a.pending_out, a.created_at,
                  COALESCE((SELECT sum(t.credit_amount) FROM top_ups t
                             WHERE t.customer_id = a.customer_id AND t.status = 'initiated'
                               AND t.account_name = a.name AND t.asset = a.asset), 0) AS pending_in,
                  ${OPEN_HOLDS_OF_ACCOUNT_SQL} AS held
             FROM accounts a WHERE a.customer_id = $1 ORDER BY a.created_at, a.name, a.asset`,
    values: [customerId],
  });
  return rows.map((r) => ({
    id: accountKey(r.name, r.asset),
    name: r.name,
    asset: r.asset,
    // Open holds (an expired one counts for nothing, even before a batch released it).
    available: new Dec(r.balance).minus(r.held),
    pendingIn: new Dec(r.pending_in),
    pendingOut: new Dec(r.pending_out).plus(r.held),
    overdraftLimit: new Dec(r.overdraft_limit),
    lowBalanceThreshold: r.low_balance_threshold === null ? null : new Dec(r.low_balance_threshold),
    createdAt: r.created_at,
  }));
}

/**
 * `default` accounts in these assets that have no row yet, as they will start: zero
 * balance, the platform's default overdraft limit, no threshold, `pending_in` from top-ups
 * already initiated into them, dated at the customer's creation. Nothing is written: an
 * account still appears (as a row) on its first credit or charge. In the order given.
 */
export async function readUnopenedAccounts(customerId: string, assets: readonly string[]): Promise<AccountBalance[]> {
  if (assets.length === 0) return [];
  const { rows } = await pool().query<{ asset: string; overdraft_limit: string; pending_in: string; created_at: Date }>({
    name: "ledger_read_unopened_accounts",
    text: `SELECT x.asset, ${PLATFORM_DEFAULT_OVERDRAFT_SQL}::text AS overdraft_limit, c.created_at,
                  COALESCE((SELECT sum(t.credit_amount) FROM top_ups t
                             WHERE t.customer_id = c.id AND t.status = 'initiated'
                               AND t.account_name = 'default' AND t.asset = x.asset), 0)::text AS pending_in
             FROM customers c JOIN platforms p ON p.id = c.platform_id
             CROSS JOIN unnest($2::text[]) WITH ORDINALITY AS x(asset, n)
            WHERE c.id = $1
              AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.customer_id = c.id AND a.name = 'default' AND a.asset = x.asset)
            ORDER BY x.n`,
    values: [customerId, assets],
  });
  return rows.map((r) => ({
    id: accountKey("default", r.asset),
    name: "default",
    asset: r.asset,
    available: new Dec(0),
    pendingIn: new Dec(r.pending_in),
    pendingOut: new Dec(0),
    overdraftLimit: new Dec(r.overdraft_limit),
    lowBalanceThreshold: null,
    createdAt: r.created_at,
  }));
}

/** Parses `default:USD` into its name and asset; null when malformed. */
export function parseAccountKey(id: string): { name: string; asset: string } | null {
  const i = id.lastIndexOf(":");
  if (i <= 0 || i === id.length - 1) return null;
  return { name: id.slice(0, i), asset: id.slice(i + 1) };
}
