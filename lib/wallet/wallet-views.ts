import { resolveAsset } from "@/lib/catalog/get-asset";
import type { Tenant } from "@/lib/tenant";
import { assertCustomerOfTenant } from "@/lib/customers/customers";
import { pool } from "@/lib/db";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { subscribedAssets } from "@/lib/catalog/subscribed-prices";
import { parseAccountKey, readUnopenedAccounts, readWallet, updateAccountSettings, type AccountBalance, type GrantPurpose, type TransactionResult } from "@/lib/ledger";
import type { EntryKind } from "@/lib/ledger/wallet-tx";
// Its batches write webhooks (grant expiries, low balances) through lib/webhooks' outbox listener.
import "@/lib/webhooks/ledger-outbox";
import { Dec } from "@/lib/money";
import type { Page } from "@/lib/pagination";

/**
 * The wallet as the domain sees it: exact decimals and dates. Its wire shape (snake_case,
 * money as JSON numbers) is lib/api/serializers/wallet.ts.
 */
export type WalletAccount = AccountBalance;

/**
 * `GET /customers/{id}/wallet`: the customer's accounts with balances as of now. A wallet
 * with no account yet (nothing credited or charged) shows the `default` accounts its
 * subscribed prices will use, at zero, as Credyt provisions them on subscribe; from the
 * first credit or charge on, the accounts that exist.
 */
export async function getWallet(tenant: Tenant, customerId: string): Promise<{ accounts: WalletAccount[] }> {
  await assertCustomerOfTenant(tenant, customerId);
  const accounts = await readWallet(customerId);
  if (accounts.length > 0) return { accounts };
  return { accounts: await readUnopenedAccounts(customerId, await subscribedAssets(customerId)) };
}

function parseAccountIdOrThrow(accountId: string) {
  const key = parseAccountKey(accountId);
  if (!key) throw new NotFoundError(`no account ${accountId}: account ids look like default:USD`);
  return key;
}

export async function getAccount(tenant: Tenant, customerId: string, accountId: string): Promise<WalletAccount> {
  await assertCustomerOfTenant(tenant, customerId);
  const key = parseAccountIdOrThrow(accountId);
  const account = (await readWallet(customerId)).find((a) => a.name === key.name && a.asset === key.asset);
  if (account) return account;
  // A `default` account a subscribed price uses answers at zero before its first credit.
  const assets = key.name === "default" ? (await subscribedAssets(customerId)).filter((a) => a === key.asset) : [];
  const [unopened] = await readUnopenedAccounts(customerId, assets);
  if (!unopened) throw new NotFoundError(`no account ${accountId}`);
  return unopened;
}

/**
 * Sets the account's overdraft limit (null: back to the platform's default) and/or
 * low-balance threshold (null clears it); creates the account (with a zero balance) if needed.
 */
export async function updateAccount(
  tenant: Tenant,
  customerId: string,
  accountId: string,
  patch: { overdraft_limit?: Dec | null; low_balance_threshold?: Dec | null },
): Promise<WalletAccount> {
  await assertCustomerOfTenant(tenant, customerId);
  const key = parseAccountIdOrThrow(accountId);
  const asset = await resolveAsset(tenant, key.asset, "account_id").catch(() => {
    throw new NotFoundError(`no account ${accountId}: unknown asset ${key.asset}`);
  });
  for (const field of ["overdraft_limit", "low_balance_threshold"] as const) {
    const amount = patch[field];
    if (amount && amount.decimalPlaces() > asset.precision) {
      throw new ValidationError(`${asset.code} amounts have at most ${asset.precision} decimal places`, [
        { field, message: `at most ${asset.precision} decimal places` },
      ]);
    }
  }
  await updateAccountSettings(customerId, key.name, asset.code, {
    overdraftLimit: patch.overdraft_limit,
    lowBalanceThreshold: patch.low_balance_threshold,
  });
  return getAccount(tenant, customerId, accountId);
}

export type GrantStatus = "live" | "expired" | "reversed";

export interface CreditGrant {
  id: string;
  /** `{name}:{ASSET}` */
  accountId: string;
  asset: string;
  purpose: GrantPurpose;
  amount: Dec;
  remaining: Dec;
  effectiveAt: Date;
  expiresAt: Date | null;
  status: GrantStatus;
  /** What made the grant, e.g. `{ reason, adjustment_id }` or `{ top_up_id }`. */
  source: Record<string, unknown>;
  createdAt: Date;
}

export async function listCreditGrants(
  tenant: Tenant,
  customerId: string,
  page: Page,
): Promise<{ items: CreditGrant[]; total: number }> {
  await assertCustomerOfTenant(tenant, customerId);
  const { rows } = await pool().query<{
    id: string; name: string; asset: string; purpose: GrantPurpose; amount: string; remaining: string; effective_at: Date;
    expires_at: Date | null; status: GrantStatus; source: Record<string, unknown>; created_at: Date; total: string;
  }>(
    `SELECT g.id, a.name, a.asset, g.purpose, g.amount, g.remaining, g.effective_at, g.expires_at, g.status, g.source, g.created_at,
            count(*) OVER () AS total
       FROM credit_grants g JOIN accounts a ON a.id = g.account_id AND a.customer_id = g.customer_id
      WHERE g.customer_id = $1 ORDER BY g.created_at DESC, g.id DESC LIMIT $2 OFFSET $3`,
    [customerId, page.limit, page.offset],
  );
  const total = rows[0] ? Number(rows[0].total) : await countWhere("credit_grants", customerId);
  return {
    total,
    items: rows.map((g) => ({
      id: g.id,
      accountId: `${g.name}:${g.asset}`,
      asset: g.asset,
      purpose: g.purpose,
      amount: new Dec(g.amount),
      remaining: new Dec(g.remaining),
      effectiveAt: g.effective_at,
      expiresAt: g.expires_at,
      status: g.status,
      source: g.source,
      createdAt: g.created_at,
    })),
  };
}

export interface LedgerEntry {
  /** `{name}:{ASSET}` */
  accountId: string;
  asset: string;
  /** Signed: what the entry added to (or, negative, took from) the account. */
  amount: Dec;
  kind: EntryKind;
  grantId: string | null;
  /** The exchange rate of a conversion (a top-up paid in another currency). */
  rate: Dec | null;
}

export interface LedgerTransaction {
  id: string;
  kind: TransactionResult["kind"];
  description: string | null;
  /** The request's metadata with the ledger's own keys (reason, adjustment_id, …). */
  metadata: Record<string, unknown>;
  entries: LedgerEntry[];
  createdAt: Date;
}

export async function listTransactions(
  tenant: Tenant,
  customerId: string,
  page: Page,
): Promise<{ items: LedgerTransaction[]; total: number }> {
  await assertCustomerOfTenant(tenant, customerId);
  const { rows: txs } = await pool().query<{
    id: string; kind: LedgerTransaction["kind"]; description: string | null; metadata: Record<string, unknown>; created_at: Date; total: string;
  }>(
    `SELECT id, kind, description, metadata, created_at, count(*) OVER () AS total FROM ledger_transactions
      WHERE customer_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`,
    [customerId, page.limit, page.offset],
  );
  const { rows: entries } = await pool().query<{
    transaction_id: string; name: string; asset: string; amount: string; kind: EntryKind; grant_id: string | null; rate: string | null;
  }>(
    `SELECT e.transaction_id, a.name, a.asset, e.amount, e.kind, e.grant_id, e.rate
       FROM ledger_entries e JOIN accounts a ON a.id = e.account_id AND a.customer_id = e.customer_id
      WHERE e.customer_id = $1 AND e.transaction_id = ANY($2::text[]) ORDER BY e.id`,
    [customerId, txs.map((t) => t.id)],
  );
  const total = txs[0] ? Number(txs[0].total) : await countWhere("ledger_transactions", customerId);
  return {
    total,
    items: txs.map((t) => ({
      id: t.id,
      kind: t.kind,
      description: t.description,
      metadata: t.metadata,
      entries: entries
        .filter((e) => e.transaction_id === t.id)
        .map((e) => ({
          accountId: `${e.name}:${e.asset}`,
          asset: e.asset,
          amount: new Dec(e.amount),
          kind: e.kind,
          grantId: e.grant_id,
          rate: e.rate === null ? null : new Dec(e.rate),
        })),
      createdAt: t.created_at,
    })),
  };
}

async function countWhere(table: "credit_grants" | "ledger_transactions", customerId: string): Promise<number> {
  const { rows } = await pool().query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE customer_id = $1`, [customerId]);
  return Number(rows[0]?.n ?? 0);
}
