import type { PoolClient } from "pg";
import { Dec } from "@/lib/money";
import type { AccountState, GrantPurpose, GrantState, HoldAmount, HoldState, HoldStatus, TransactionResult } from "./types";
import { layOut, unnestColumns } from "./unnest-columns";
import type { EntryKind, EntryRow, ReferencedTransaction, TransactionRow, WalletTx } from "./wallet-tx";

/**
 * The ledger's SQL. Raw statements on purpose: a batch of N charges for one customer is
 * one read at BEGIN (accounts, live grants and the idempotency keys it uses, in one
 * round trip) and one multi-row write (unnest arrays in data-modifying CTEs) before
 * COMMIT, whatever N is. Every statement is filtered by customer_id (the sharding key).
 */

interface LoadedRow {
  kind: "account" | "grant" | "key" | "platform" | "hold";
  row: Record<string, string | null> & { result?: TransactionResult };
}

/**
 * The platform's default overdraft limit for the mode of customer `c` joined to platform
 * `p` (lib/platforms/platform-settings.ts sets it).
 */
export const PLATFORM_DEFAULT_OVERDRAFT_SQL = "(CASE WHEN c.live_mode THEN p.live_default_overdraft_limit ELSE p.test_default_overdraft_limit END)";

/** The platform's default low-balance threshold for the mode of customer `c` (null: none). */
const PLATFORM_DEFAULT_LOW_BALANCE_SQL = "(CASE WHEN c.live_mode THEN p.live_default_low_balance_threshold ELSE p.test_default_low_balance_threshold END)";

/**
 * The overdraft limit in force for accounts `a` (aliased) of one customer: the account's
 * own, or else its platform's default for the customer's mode, or else 0.
 */
export const EFFECTIVE_OVERDRAFT_LIMIT_SQL = `COALESCE(a.overdraft_limit,
  (SELECT ${PLATFORM_DEFAULT_OVERDRAFT_SQL} FROM customers c JOIN platforms p ON p.id = c.platform_id WHERE c.id = a.customer_id), 0)`;

/**
 * Everything a batch needs at BEGIN, in one round trip: the customer's accounts, its live
 * grants with something left (plus any grant a reversal in the batch refers to), the
 * idempotency keys the batch uses that are already stored, and the platform's default
 * overdraft limit and low-balance threshold for the customer's mode (for accounts without
 * their own). Amounts
 * travel as text, never as JSON numbers, so nothing passes through a float.
 */
export async function loadWallet(
  client: PoolClient,
  customerId: string,
  extraGrantIds: string[],
  keys: string[],
  holdKeys: string[] = [],
): Promise<{
  accounts: AccountState[];
  grants: GrantState[];
  holds: HoldState[];
  seen: Map<string, { requestHash: string; result: TransactionResult }>;
  defaultOverdraftLimit: Dec;
  defaultLowBalanceThreshold: Dec | null;
}> {
  const { rows } = await client.query<LoadedRow>({
    name: "ledger_load_wallet",
    text: `SELECT 'account' AS kind, json_build_object('id', id, 'name', name, 'asset', asset, 'balance', balance::text,
                  'overdraft_limit', overdraft_limit::text, 'low_balance_threshold', low_balance_threshold::text,
                  'created_at', created_at) AS row
             FROM accounts WHERE customer_id = $1
           UNION ALL
           SELECT 'grant', json_build_object('id', id, 'account_id', account_id, 'purpose', purpose, 'amount', amount::text,
                  'remaining', remaining::text, 'effective_at', effective_at, 'expires_at', expires_at, 'created_at', created_at,
                  'status', status, 'transaction_id', transaction_id)
             FROM credit_grants
            WHERE customer_id = $1 AND ((status = 'live' AND remaining > 0) OR id = ANY($2::text[]))
           UNION ALL
           SELECT 'key', json_build_object('idempotency_key', idempotency_key, 'request_hash', request_hash, 'result', result)
             FROM ledger_transactions WHERE customer_id = $1 AND idempotency_key = ANY($3::text[])
           UNION ALL
           SELECT 'platform', json_build_object('default_overdraft_limit', ${PLATFORM_DEFAULT_OVERDRAFT_SQL}::text,
                  'default_low_balance_threshold', ${PLATFORM_DEFAULT_LOW_BALANCE_SQL}::text)
             FROM customers c JOIN platforms p ON p.id = c.platform_id WHERE c.id = $1
           UNION ALL
           SELECT 'hold', json_build_object('id', id, 'reference', reference, 'request_hash', request_hash, 'status', status,
                  'amounts', amounts, 'expires_at', expires_at, 'subject', subject, 'metadata', metadata,
                  'created_at', created_at, 'closed_at', closed_at)
             FROM holds
            WHERE customer_id = $1 AND (status = 'held' OR id = ANY($4::text[]) OR reference = ANY($4::text[]))`,
    values: [customerId, extraGrantIds, keys, holdKeys],
  });
  const accounts: AccountState[] = [];
  const grants: GrantState[] = [];
  const holds: HoldState[] = [];
  const seen = new Map<string, { requestHash: string; result: TransactionResult }>();
  const date = (v: string | null | undefined) => (v ? new Date(v) : null);
  // A customer id without a customer row (ledger unit tests) has no platform: default 0.
  let defaultOverdraftLimit = new Dec(0);
  let defaultLowBalanceThreshold: Dec | null = null;
  for (const { kind, row: r } of rows) {
    if (kind === "account") {
      const own = r.overdraft_limit === null || r.overdraft_limit === undefined ? null : new Dec(r.overdraft_limit);
      accounts.push({
        id: r.id!,
        name: r.name!,
        asset: r.asset!,
        balance: new Dec(r.balance!),
        // Accounts without their own limit get the platform's default after the loop.
        overdraftLimit: own ?? new Dec(0),
        ownOverdraftLimit: own,
        lowBalanceThreshold: r.low_balance_threshold === null || r.low_balance_threshold === undefined ? null : new Dec(r.low_balance_threshold),
        createdAt: date(r.created_at)!,
        isNew: false,
        dirty: false,
      });
    } else if (kind === "grant") {
      grants.push({
        id: r.id!,
        accountId: r.account_id!,
        purpose: r.purpose as GrantPurpose,
        amount: new Dec(r.amount!),
        remaining: new Dec(r.remaining!),
        effectiveAt: date(r.effective_at)!,
        expiresAt: date(r.expires_at),
        createdAt: date(r.created_at)!,
        status: r.status as GrantState["status"],
        transactionId: r.transaction_id!,
        isNew: false,
        dirty: false,
      });
    } else if (kind === "hold") {
      const h = r as unknown as StoredHold;
      holds.push({
        id: h.id,
        reference: h.reference,
        requestHash: h.request_hash,
        status: h.status,
        amounts: h.amounts.map((a): HoldAmount => ({
          accountId: a.account_id,
          name: a.name,
          asset: a.asset,
          amount: new Dec(a.amount),
          captured: new Dec(a.captured),
          released: new Dec(a.released),
        })),
        expiresAt: new Date(h.expires_at),
        subject: h.subject,
        metadata: h.metadata,
        createdAt: new Date(h.created_at),
        closedAt: date(h.closed_at),
        isNew: false,
        dirty: false,
      });
    } else if (kind === "key") {
      seen.set(r.idempotency_key!, { requestHash: r.request_hash!, result: r.result! });
    } else {
      defaultOverdraftLimit = new Dec(r.default_overdraft_limit!);
      if (r.default_low_balance_threshold) defaultLowBalanceThreshold = new Dec(r.default_low_balance_threshold);
    }
  }
  for (const a of accounts) if (a.ownOverdraftLimit === null) a.overdraftLimit = defaultOverdraftLimit;
  return { accounts, grants, holds, seen, defaultOverdraftLimit, defaultLowBalanceThreshold };
}

/** A `holds` row as loaded (amounts as decimal text in JSON). */
interface StoredHold {
  id: string;
  reference: string;
  request_hash: string;
  status: HoldStatus;
  amounts: { account_id: string; name: string; asset: string; amount: string; captured: string; released: string }[];
  expires_at: string;
  subject: string | null;
  metadata: Record<string, unknown> | null;
  created_at: string;
  closed_at: string | null;
}

function storedAmounts(h: HoldState): string {
  return JSON.stringify(
    h.amounts.map((a) => ({
      account_id: a.accountId,
      name: a.name,
      asset: a.asset,
      amount: a.amount.toFixed(),
      captured: a.captured.toFixed(),
      released: a.released.toFixed(),
    })),
  );
}

export async function loadReferenced(
  client: PoolClient,
  customerId: string,
  transactionIds: string[],
): Promise<Map<string, ReferencedTransaction>> {
  const out = new Map<string, ReferencedTransaction>();
  if (transactionIds.length === 0) return out;
  const { rows: txs } = await client.query<{ id: string; kind: TransactionResult["kind"]; reversed: string }>(
    `SELECT t.id, t.kind,
            COALESCE((SELECT sum((r.metadata->>'reversed_amount')::numeric) FROM ledger_transactions r
                       WHERE r.customer_id = t.customer_id AND r.reverses_id = t.id), 0) AS reversed
       FROM ledger_transactions t WHERE t.customer_id = $1 AND t.id = ANY($2::text[])`,
    [customerId, transactionIds],
  );
  const { rows: entries } = await client.query<{
    transaction_id: string; account_id: string; grant_id: string | null; amount: string; kind: EntryKind;
  }>(
    `SELECT transaction_id, account_id, grant_id, amount, kind FROM ledger_entries
      WHERE customer_id = $1 AND transaction_id = ANY($2::text[]) ORDER BY id`,
    [customerId, transactionIds],
  );
  for (const t of txs) out.set(t.id, { id: t.id, kind: t.kind, reversed: new Dec(t.reversed), entries: [] });
  for (const e of entries) {
    out.get(e.transaction_id)?.entries.push({ accountId: e.account_id, grantId: e.grant_id, amount: new Dec(e.amount), kind: e.kind });
  }
  return out;
}

/**
 * Another module's rows written by the ledger's flush statement, as one more
 * data-modifying CTE (`name AS (INSERT …)`). Its parameters are numbered from the
 * `firstParam` it is given; `$1` is the customer id.
 */
export interface FusedWrite {
  /** Names the CTE and, with the flush, the prepared statement: fixed text per name. */
  name: string;
  sql(firstParam: number): string;
  values: unknown[];
}

// One line per column of each multi-row write (unnest-columns.ts): the flush's parameters
// are numbered in this order after $1, the customer id.
const NEW_ACCOUNTS = unnestColumns<AccountState>({
  id: ["text", (a) => a.id],
  name: ["text", (a) => a.name],
  asset: ["text", (a) => a.asset],
  balance: ["numeric", (a) => a.balance.toFixed()],
  overdraft_limit: ["numeric", ownLimit],
  low_balance_threshold: ["numeric", threshold],
  created_at: ["timestamptz", (a) => a.createdAt],
});
const CHANGED_ACCOUNTS = unnestColumns<AccountState>({
  id: ["text", (a) => a.id],
  balance: ["numeric", (a) => a.balance.toFixed()],
  overdraft_limit: ["numeric", ownLimit],
  low_balance_threshold: ["numeric", threshold],
});
const NEW_GRANTS = unnestColumns<GrantState, WalletTx>({
  id: ["text", (g) => g.id],
  account_id: ["text", (g) => g.accountId],
  purpose: ["text", (g) => g.purpose],
  amount: ["numeric", (g) => g.amount.toFixed()],
  remaining: ["numeric", (g) => g.remaining.toFixed()],
  effective_at: ["timestamptz", (g) => g.effectiveAt],
  expires_at: ["timestamptz", (g) => g.expiresAt],
  status: ["text", (g) => g.status],
  transaction_id: ["text", (g) => g.transactionId],
  source: ["jsonb", (g, wallet) => JSON.stringify(wallet.grantSources.get(g.id) ?? {})],
  created_at: ["timestamptz", (g) => g.createdAt],
});
const CHANGED_GRANTS = unnestColumns<GrantState>({
  id: ["text", (g) => g.id],
  remaining: ["numeric", (g) => g.remaining.toFixed()],
  status: ["text", (g) => g.status],
});
const NEW_TRANSACTIONS = unnestColumns<TransactionRow>({
  id: ["text", (t) => t.id],
  idempotency_key: ["text", (t) => t.idempotencyKey],
  request_hash: ["text", (t) => t.requestHash],
  kind: ["text", (t) => t.kind],
  description: ["text", (t) => t.description],
  metadata: ["jsonb", (t) => JSON.stringify(t.metadata)],
  result: ["jsonb", (t) => JSON.stringify(t.result)],
  reverses_id: ["text", (t) => t.reversesId],
  created_at: ["timestamptz", (t) => t.createdAt],
});
const NEW_ENTRIES = unnestColumns<EntryRow>({
  transaction_id: ["text", (e) => e.transactionId],
  account_id: ["text", (e) => e.accountId],
  grant_id: ["text", (e) => e.grantId],
  amount: ["numeric", (e) => e.amount.toFixed()],
  kind: ["text", (e) => e.kind],
  rate: ["numeric", (e) => e.rate?.toFixed() ?? null],
  created_at: ["timestamptz", (e) => e.createdAt],
});

const NEW_HOLDS = unnestColumns<HoldState>({
  id: ["text", (h) => h.id],
  reference: ["text", (h) => h.reference],
  request_hash: ["text", (h) => h.requestHash],
  status: ["text", (h) => h.status],
  amounts: ["jsonb", storedAmounts],
  expires_at: ["timestamptz", (h) => h.expiresAt],
  subject: ["text", (h) => h.subject],
  metadata: ["jsonb", (h) => (h.metadata ? JSON.stringify(h.metadata) : null)],
  created_at: ["timestamptz", (h) => h.createdAt],
  closed_at: ["timestamptz", (h) => h.closedAt],
});
const CHANGED_HOLDS = unnestColumns<HoldState>({
  id: ["text", (h) => h.id],
  status: ["text", (h) => h.status],
  amounts: ["jsonb", storedAmounts],
  expires_at: ["timestamptz", (h) => h.expiresAt],
  closed_at: ["timestamptz", (h) => h.closedAt],
});

const {
  sql: [newAccounts, changedAccounts, newGrants, changedGrants, newTransactions, newEntries, newHolds, changedHolds],
  nextParam: FIRST_FUSED_PARAM,
} = layOut(2, [NEW_ACCOUNTS, CHANGED_ACCOUNTS, NEW_GRANTS, CHANGED_GRANTS, NEW_TRANSACTIONS, NEW_ENTRIES, NEW_HOLDS, CHANGED_HOLDS]);

/** The ledger's part of the flush statement (after the fused CTEs), the same text for every batch. */
const FLUSH_SQL = `
      new_accounts AS (
        INSERT INTO accounts (id, customer_id, name, asset, balance, overdraft_limit, low_balance_threshold, created_at, updated_at)
        SELECT id, $1, name, asset, balance, overdraft_limit, low_balance_threshold, created_at, created_at
          FROM ${newAccounts}),
      changed_accounts AS (
        UPDATE accounts a SET balance = v.balance, overdraft_limit = v.overdraft_limit,
                              low_balance_threshold = v.low_balance_threshold, updated_at = now()
          FROM ${changedAccounts}
         WHERE a.customer_id = $1 AND a.id = v.id),
      new_grants AS (
        INSERT INTO credit_grants (id, customer_id, account_id, purpose, amount, remaining, effective_at, expires_at, status,
                                   transaction_id, source, created_at)
        SELECT id, $1, account_id, purpose, amount, remaining, effective_at, expires_at, status, transaction_id, source, created_at
          FROM ${newGrants}),
      changed_grants AS (
        UPDATE credit_grants g SET remaining = v.remaining, status = v.status
          FROM ${changedGrants}
         WHERE g.customer_id = $1 AND g.id = v.id),
      new_transactions AS (
        INSERT INTO ledger_transactions (id, customer_id, idempotency_key, request_hash, kind, description, metadata, result,
                                         reverses_id, created_at)
        SELECT id, $1, idempotency_key, request_hash, kind, description, metadata, result, reverses_id, created_at
          FROM ${newTransactions}),
      new_holds AS (
        INSERT INTO holds (id, customer_id, reference, request_hash, status, amounts, expires_at, subject, metadata, created_at, closed_at)
        SELECT id, $1, reference, request_hash, status, amounts, expires_at, subject, metadata, created_at, closed_at
          FROM ${newHolds}),
      changed_holds AS (
        UPDATE holds h SET status = v.status, amounts = v.amounts, expires_at = v.expires_at, closed_at = v.closed_at
          FROM ${changedHolds}
         WHERE h.customer_id = $1 AND h.id = v.id)
      INSERT INTO ledger_entries (transaction_id, customer_id, account_id, grant_id, amount, kind, rate, created_at)
      SELECT transaction_id, $1, account_id, grant_id, amount, kind, rate, created_at
        FROM ${newEntries}`;

/**
 * Writes what the batch did in ONE statement (data-modifying CTEs run exactly once, even
 * when their rows are empty): new and changed accounts, new and changed grants, the
 * transactions and their entries, and the `fused` writes of the batch's groups. Rows are
 * append-only except the account and grant caches.
 */
export async function flushWallet(client: PoolClient, wallet: WalletTx, fused: FusedWrite[] = []): Promise<void> {
  const accounts = wallet.dirtyAccounts();
  const grants = wallet.dirtyGrants();
  const txs = wallet.transactions;
  const entries = wallet.entries;
  const holds = wallet.dirtyHolds();
  if (accounts.length + grants.length + txs.length + entries.length + holds.length + fused.length === 0) return;
  let nextParam = FIRST_FUSED_PARAM;
  const fusedCtes = fused.map((f) => {
    const sql = `${f.name} AS (${f.sql(nextParam)}),`;
    nextParam += f.values.length;
    return sql;
  });
  await client.query({
    name: ["ledger_flush", ...fused.map((f) => f.name)].join("+"),
    text: `WITH ${fusedCtes.join("\n")}${FLUSH_SQL}`,
    values: [
      wallet.customerId,
      ...NEW_ACCOUNTS.values(accounts.filter((a) => a.isNew), undefined),
      ...CHANGED_ACCOUNTS.values(accounts.filter((a) => !a.isNew), undefined),
      ...NEW_GRANTS.values(grants.filter((g) => g.isNew), wallet),
      ...CHANGED_GRANTS.values(grants.filter((g) => !g.isNew), undefined),
      ...NEW_TRANSACTIONS.values(txs, undefined),
      ...NEW_ENTRIES.values(entries, undefined),
      ...NEW_HOLDS.values(holds.filter((h) => h.isNew), undefined),
      ...CHANGED_HOLDS.values(holds.filter((h) => !h.isNew), undefined),
      ...fused.flatMap((f) => f.values),
    ],
  });
}

function threshold(a: AccountState): string | null {
  return a.lowBalanceThreshold?.toFixed() ?? null;
}

/** What the account's row stores as its limit: its own, or NULL to follow the platform's default. */
function ownLimit(a: AccountState): string | null {
  return a.ownOverdraftLimit?.toFixed() ?? null;
}
