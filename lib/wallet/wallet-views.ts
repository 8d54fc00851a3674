import { resolveAsset } from "@/lib/catalog/get-asset";
import type { Tenant } from "@/lib/tenant";
import { assertCustomerOfTenant } from "@/lib/customers/customers";
import { pool } from "@/lib/db";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { parseAccountKey, readWallet, updateAccountSettings, type AccountBalance } from "@/lib/ledger";
// Its batches write webhooks (grant expiries, low balances) through lib/webhooks' outbox listener.
import "@/lib/webhooks/ledger-outbox";
import { amountToJson, type Dec } from "@/lib/money";

export interface WalletAccountJson {
  id: string;
  name: string;
  asset: string;
  available: number;
}

export interface AccountDetailJson extends WalletAccountJson {
  pending_in: number;
  pending_out: number;
  overdraft_limit: number;
  /** Under this, `wallet.balance_low` is sent (once per crossing); null: never. */
  low_balance_threshold: number | null;
  created_at: string;
}

function accountJson(a: AccountBalance): WalletAccountJson {
  return { id: a.id, name: a.name, asset: a.asset, available: amountToJson(a.available) };
}

function accountDetailJson(a: AccountBalance): AccountDetailJson {
  return {
    ...accountJson(a),
    pending_in: amountToJson(a.pendingIn),
    pending_out: amountToJson(a.pendingOut),
    overdraft_limit: amountToJson(a.overdraftLimit),
    low_balance_threshold: a.lowBalanceThreshold === null ? null : amountToJson(a.lowBalanceThreshold),
    created_at: a.createdAt.toISOString(),
  };
}

/** `GET /customers/{id}/wallet`: the seed's shape. */
export async function getWallet(tenant: Tenant, customerId: string): Promise<{ accounts: WalletAccountJson[] }> {
  await assertCustomerOfTenant(tenant, customerId);
  return { accounts: (await readWallet(customerId)).map(accountJson) };
}

function parseAccountIdOrThrow(accountId: string) {
  const key = parseAccountKey(accountId);
  if (!key) throw new NotFoundError(`no account ${accountId}: account ids look like default:USD`);
  return key;
}

export async function getAccount(tenant: Tenant, customerId: string, accountId: string): Promise<AccountDetailJson> {
  await assertCustomerOfTenant(tenant, customerId);
  const key = parseAccountIdOrThrow(accountId);
  const account = (await readWallet(customerId)).find((a) => a.name === key.name && a.asset === key.asset);
  if (!account) throw new NotFoundError(`no account ${accountId}`);
  return accountDetailJson(account);
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
): Promise<AccountDetailJson> {
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

export interface CreditGrantJson {
  id: string;
  account_id: string;
  purpose: string;
  amount: number;
  remaining: number;
  effective_at: string;
  expires_at: string | null;
  status: string;
  source: unknown;
  created_at: string;
}

export async function listCreditGrants(
  tenant: Tenant,
  customerId: string,
  page: { limit: number; offset: number },
): Promise<{ items: CreditGrantJson[]; total: number }> {
  await assertCustomerOfTenant(tenant, customerId);
  const { rows } = await pool().query<{
    id: string; name: string; asset: string; purpose: string; amount: string; remaining: string; effective_at: Date;
    expires_at: Date | null; status: string; source: unknown; created_at: Date; total: string;
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
      account_id: `${g.name}:${g.asset}`,
      purpose: g.purpose,
      amount: amountToJson(g.amount),
      remaining: amountToJson(g.remaining),
      effective_at: g.effective_at.toISOString(),
      expires_at: g.expires_at?.toISOString() ?? null,
      status: g.status,
      source: g.source,
      created_at: g.created_at.toISOString(),
    })),
  };
}

export interface LedgerTransactionJson {
  id: string;
  kind: string;
  description: string | null;
  metadata: unknown;
  entries: { account_id: string; asset: string; amount: number; kind: string; grant_id: string | null; rate: number | null }[];
  created_at: string;
}

export async function listTransactions(
  tenant: Tenant,
  customerId: string,
  page: { limit: number; offset: number },
): Promise<{ items: LedgerTransactionJson[]; total: number }> {
  await assertCustomerOfTenant(tenant, customerId);
  const { rows: txs } = await pool().query<{
    id: string; kind: string; description: string | null; metadata: unknown; created_at: Date; total: string;
  }>(
    `SELECT id, kind, description, metadata, created_at, count(*) OVER () AS total FROM ledger_transactions
      WHERE customer_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`,
    [customerId, page.limit, page.offset],
  );
  const { rows: entries } = await pool().query<{
    transaction_id: string; name: string; asset: string; amount: string; kind: string; grant_id: string | null; rate: string | null;
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
          account_id: `${e.name}:${e.asset}`,
          asset: e.asset,
          amount: amountToJson(e.amount),
          kind: e.kind,
          grant_id: e.grant_id,
          rate: e.rate === null ? null : amountToJson(e.rate),
        })),
      created_at: t.created_at.toISOString(),
    })),
  };
}

async function countWhere(table: "credit_grants" | "ledger_transactions", customerId: string): Promise<number> {
  const { rows } = await pool().query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE customer_id = $1`, [customerId]);
  return Number(rows[0]?.n ?? 0);
}
