import type { PoolClient } from "pg";
import { Dec } from "@/lib/money";
import type { AccountState, GrantPurpose, GrantState, TransactionResult } from "./types";
import type { EntryKind, ReferencedTransaction, WalletTx } from "./wallet-tx";

/**
 * The ledger's SQL. Raw statements on purpose: a batch of N charges for one customer is
 * three reads at BEGIN and at most six multi-row writes (unnest arrays) at COMMIT,
 * whatever N is. Every statement is filtered by customer_id (the sharding key).
 */

export async function loadAccounts(client: PoolClient, customerId: string): Promise<AccountState[]> {
  const { rows } = await client.query<{
    id: string; name: string; asset: string; balance: string; overdraft_limit: string; low_balance_threshold: string | null; created_at: Date;
  }>({
    name: "ledger_load_accounts",
    text: "SELECT id, name, asset, balance, overdraft_limit, low_balance_threshold, created_at FROM accounts WHERE customer_id = $1",
    values: [customerId],
  });
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    asset: r.asset,
    balance: new Dec(r.balance),
    overdraftLimit: new Dec(r.overdraft_limit),
    lowBalanceThreshold: r.low_balance_threshold === null ? null : new Dec(r.low_balance_threshold),
    createdAt: r.created_at,
    isNew: false,
    dirty: false,
  }));
}

/** Live grants with something left, plus any grant a reversal in this batch refers to. */
export async function loadGrants(client: PoolClient, customerId: string, extraGrantIds: string[]): Promise<GrantState[]> {
  const { rows } = await client.query<{
    id: string; account_id: string; purpose: GrantPurpose; amount: string; remaining: string;
    effective_at: Date; expires_at: Date | null; created_at: Date; status: GrantState["status"]; transaction_id: string;
  }>({
    name: "ledger_load_grants",
    text: `SELECT id, account_id, purpose, amount, remaining, effective_at, expires_at, created_at, status, transaction_id
             FROM credit_grants
            WHERE customer_id = $1 AND ((status = 'live' AND remaining > 0) OR id = ANY($2::text[]))`,
    values: [customerId, extraGrantIds],
  });
  return rows.map((r) => ({
    id: r.id,
    accountId: r.account_id,
    purpose: r.purpose,
    amount: new Dec(r.amount),
    remaining: new Dec(r.remaining),
    effectiveAt: r.effective_at,
    expiresAt: r.expires_at,
    createdAt: r.created_at,
    status: r.status,
    transactionId: r.transaction_id,
    isNew: false,
    dirty: false,
  }));
}

export async function loadSeenKeys(
  client: PoolClient,
  customerId: string,
  keys: string[],
): Promise<Map<string, { requestHash: string; result: TransactionResult }>> {
  const seen = new Map<string, { requestHash: string; result: TransactionResult }>();
  if (keys.length === 0) return seen;
  const { rows } = await client.query<{ idempotency_key: string; request_hash: string; result: TransactionResult }>({
    name: "ledger_load_seen_keys",
    text: `SELECT idempotency_key, request_hash, result FROM ledger_transactions
            WHERE customer_id = $1 AND idempotency_key = ANY($2::text[])`,
    values: [customerId, keys],
  });
  for (const r of rows) seen.set(r.idempotency_key, { requestHash: r.request_hash, result: r.result });
  return seen;
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

/** Writes what the batch did. Rows are append-only except the account and grant caches. */
export async function flushWallet(client: PoolClient, wallet: WalletTx): Promise<void> {
  const customerId = wallet.customerId;
  const accounts = wallet.dirtyAccounts();
  const created = accounts.filter((a) => a.isNew);
  const updated = accounts.filter((a) => !a.isNew);
  if (created.length > 0) {
    await client.query({
      name: "ledger_insert_accounts",
      text: `INSERT INTO accounts (id, customer_id, name, asset, balance, overdraft_limit, low_balance_threshold, created_at, updated_at)
             SELECT id, $1, name, asset, balance, overdraft_limit, low_balance_threshold, created_at, created_at
               FROM unnest($2::text[], $3::text[], $4::text[], $5::numeric[], $6::numeric[], $7::timestamptz[], $8::numeric[])
                    AS v(id, name, asset, balance, overdraft_limit, created_at, low_balance_threshold)`,
      values: [
        customerId,
        created.map((a) => a.id),
        created.map((a) => a.name),
        created.map((a) => a.asset),
        created.map((a) => a.balance.toFixed()),
        created.map((a) => a.overdraftLimit.toFixed()),
        created.map((a) => a.createdAt),
        created.map((a) => a.lowBalanceThreshold?.toFixed() ?? null),
      ],
    });
  }
  if (updated.length > 0) {
    await client.query({
      name: "ledger_update_accounts",
      text: `UPDATE accounts a SET balance = v.balance, overdraft_limit = v.overdraft_limit, low_balance_threshold = v.low_balance_threshold,
                                updated_at = now()
               FROM unnest($2::text[], $3::numeric[], $4::numeric[], $5::numeric[]) AS v(id, balance, overdraft_limit, low_balance_threshold)
              WHERE a.customer_id = $1 AND a.id = v.id`,
      values: [
        customerId,
        updated.map((a) => a.id),
        updated.map((a) => a.balance.toFixed()),
        updated.map((a) => a.overdraftLimit.toFixed()),
        updated.map((a) => a.lowBalanceThreshold?.toFixed() ?? null),
      ],
    });
  }

  const grants = wallet.dirtyGrants();
  const newGrants = grants.filter((g) => g.isNew);
  const changedGrants = grants.filter((g) => !g.isNew);
  if (newGrants.length > 0) {
    await client.query({
      name: "ledger_insert_grants",
      text: `INSERT INTO credit_grants (id, customer_id, account_id, purpose, amount, remaining, effective_at, expires_at, status, transaction_id, source, created_at)
             SELECT id, $1, account_id, purpose, amount, remaining, effective_at, expires_at, status, transaction_id, source, created_at
               FROM unnest($2::text[], $3::text[], $4::text[], $5::numeric[], $6::numeric[], $7::timestamptz[], $8::timestamptz[],
                           $9::text[], $10::text[], $11::jsonb[], $12::timestamptz[])
                    AS v(id, account_id, purpose, amount, remaining, effective_at, expires_at, status, transaction_id, source, created_at)`,
      values: [
        customerId,
        newGrants.map((g) => g.id),
        newGrants.map((g) => g.accountId),
        newGrants.map((g) => g.purpose),
        newGrants.map((g) => g.amount.toFixed()),
        newGrants.map((g) => g.remaining.toFixed()),
        newGrants.map((g) => g.effectiveAt),
        newGrants.map((g) => g.expiresAt),
        newGrants.map((g) => g.status),
        newGrants.map((g) => g.transactionId),
        newGrants.map((g) => JSON.stringify(wallet.grantSources.get(g.id) ?? {})),
        newGrants.map((g) => g.createdAt),
      ],
    });
  }
  if (changedGrants.length > 0) {
    await client.query({
      name: "ledger_update_grants",
      text: `UPDATE credit_grants g SET remaining = v.remaining, status = v.status
               FROM unnest($2::text[], $3::numeric[], $4::text[]) AS v(id, remaining, status)
              WHERE g.customer_id = $1 AND g.id = v.id`,
      values: [customerId, changedGrants.map((g) => g.id), changedGrants.map((g) => g.remaining.toFixed()), changedGrants.map((g) => g.status)],
    });
  }

  const txs = wallet.transactions;
  if (txs.length > 0) {
    await client.query({
      name: "ledger_insert_transactions",
      text: `INSERT INTO ledger_transactions (id, customer_id, idempotency_key, request_hash, kind, description, metadata, result, reverses_id, created_at)
             SELECT id, $1, idempotency_key, request_hash, kind, description, metadata, result, reverses_id, created_at
               FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::jsonb[], $9::text[], $10::timestamptz[])
                    AS v(id, idempotency_key, request_hash, kind, description, metadata, result, reverses_id, created_at)`,
      values: [
        customerId,
        txs.map((t) => t.id),
        txs.map((t) => t.idempotencyKey),
        txs.map((t) => t.requestHash),
        txs.map((t) => t.kind),
        txs.map((t) => t.description),
        txs.map((t) => JSON.stringify(t.metadata)),
        txs.map((t) => JSON.stringify(t.result)),
        txs.map((t) => t.reversesId),
        txs.map((t) => t.createdAt),
      ],
    });
  }
  const entries = wallet.entries;
  if (entries.length > 0) {
    await client.query({
      name: "ledger_insert_entries",
      text: `INSERT INTO ledger_entries (transaction_id, customer_id, account_id, grant_id, amount, kind, rate, created_at)
             SELECT transaction_id, $1, account_id, grant_id, amount, kind, rate, created_at
               FROM unnest($2::text[], $3::text[], $4::text[], $5::numeric[], $6::text[], $7::numeric[], $8::timestamptz[])
                    AS v(transaction_id, account_id, grant_id, amount, kind, rate, created_at)`,
      values: [
        customerId,
        entries.map((e) => e.transactionId),
        entries.map((e) => e.accountId),
        entries.map((e) => e.grantId),
        entries.map((e) => e.amount.toFixed()),
        entries.map((e) => e.kind),
        entries.map((e) => e.rate?.toFixed() ?? null),
        entries.map((e) => e.createdAt),
      ],
    });
  }
}
