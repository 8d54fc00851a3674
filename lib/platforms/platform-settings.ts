import type { Tenant } from "@/lib/tenant";
import { platformLockKeySql } from "@/lib/advisory-locks";
import { inTransaction, pool } from "@/lib/db";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { assertWithinAmountLimit, Dec, formatAmount, MAX_BALANCE } from "@/lib/money";

/**
 * A platform's own settings, per mode (a test key never changes live behaviour): the
 * default overdraft limit of accounts that have no limit of their own, and the default
 * low-balance threshold of accounts that have no threshold of their own. New platforms stop
 * at 0 (no overdraft) and have no default threshold; "unlimited" is stored as the largest
 * balance, 10^15, the floor no balance could pass anyway. The ledger reads both at the
 * start of every batch (lib/ledger/wallet-sql.ts), so a change applies to the next charge.
 */
export type DefaultOverdraftLimit = Dec | "unlimited";

/** The platform an API key belongs to, with its settings in the key's mode. */
export interface PlatformContext {
  id: string;
  name: string;
  liveMode: boolean;
  defaultOverdraftLimit: DefaultOverdraftLimit;
  /** `wallet.balance_low` fires below it for accounts without a threshold of their own; null: none. */
  defaultLowBalanceThreshold: Dec | null;
}

/** What PATCH /accounts/self may change; an absent field stays as it is. */
export interface PlatformSettingsUpdate {
  defaultOverdraftLimit?: DefaultOverdraftLimit;
  /** null clears it. */
  defaultLowBalanceThreshold?: Dec | null;
}

/** `GET /accounts/self`: the platform the API key belongs to, in the key's mode. */
export async function getPlatformContext(tenant: Tenant): Promise<PlatformContext> {
  const { rows } = await pool().query<{ id: string; name: string; limit: string; threshold: string | null }>(
    `SELECT id, name, (CASE WHEN $2 THEN live_default_overdraft_limit ELSE test_default_overdraft_limit END)::text AS limit,
            (CASE WHEN $2 THEN live_default_low_balance_threshold ELSE test_default_low_balance_threshold END)::text AS threshold
       FROM platforms WHERE id = $1`,
    [tenant.platformId, tenant.liveMode],
  );
  const row = rows[0];
  if (!row) throw new NotFoundError("no such platform");
  const limit = new Dec(row.limit);
  return {
    id: row.id,
    name: row.name,
    liveMode: tenant.liveMode,
    defaultOverdraftLimit: limit.gte(MAX_BALANCE) ? "unlimited" : limit,
    defaultLowBalanceThreshold: row.threshold === null ? null : new Dec(row.threshold),
  };
}

/**
 * Sets the mode's default overdraft limit and/or low-balance threshold. A limit is refused
 * (409) while an account that follows the default owes more than it, as lowering one
 * account's own limit under its debt is: no account may end up below its floor. The check
 * and the write are one transaction holding the platform's ledger lock exclusively
 * (lib/advisory-locks.ts): it waits for the ledger batches of the platform's customers in
 * flight, and holds new ones back until it commits, so the check sees every balance and no
 * batch charges against the old limit afterwards. A threshold (≥ 0, or null for none) applies from the next
 * batch that moves a balance across it; setting it fires nothing by itself.
 */
export async function updatePlatformSettings(tenant: Tenant, settings: PlatformSettingsUpdate): Promise<PlatformContext> {
  const limit = settings.defaultOverdraftLimit === undefined ? null : settings.defaultOverdraftLimit === "unlimited" ? MAX_BALANCE : settings.defaultOverdraftLimit;
  if (limit) assertWithinAmountLimit(limit, "settings/default_overdraft_limit");
  const threshold = settings.defaultLowBalanceThreshold;
  if (threshold) {
    if (threshold.isNegative()) {
      throw new ValidationError("default_low_balance_threshold must be zero or positive", [{ field: "settings/default_low_balance_threshold", message: "Must be 0 or more" }]);
    }
    assertWithinAmountLimit(threshold, "settings/default_low_balance_threshold");
  }
  const mode = tenant.liveMode ? "live" : "test";
  await inTransaction("BEGIN ISOLATION LEVEL READ COMMITTED", async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(${platformLockKeySql("$1::text")})`, [tenant.platformId]);
    if (threshold !== undefined) {
      await client.query(`UPDATE platforms SET ${mode}_default_low_balance_threshold = $2 WHERE id = $1`, [tenant.platformId, threshold?.toFixed() ?? null]);
    }
    if (limit === null) return;
    const { rows } = await client.query<{ owing: string }>(
      `SELECT count(*)::text AS owing FROM accounts a JOIN customers c ON c.id = a.customer_id
        WHERE c.platform_id = $1 AND c.live_mode = $2 AND a.overdraft_limit IS NULL AND a.balance < -($3::numeric)`,
      [tenant.platformId, tenant.liveMode, limit.toFixed()],
    );
    const owing = Number(rows[0]!.owing);
    if (owing > 0) {
      throw new ConflictError(
        `${owing} account${owing === 1 ? "" : "s"} following the default owe${owing === 1 ? "s" : ""} more than ${formatAmount(limit)}; raise their own limits or collect the debt first`,
        [{ field: "settings/default_overdraft_limit", message: "lower than what accounts following it owe" }],
      );
    }
    await client.query(`UPDATE platforms SET ${mode}_default_overdraft_limit = $2 WHERE id = $1`, [tenant.platformId, limit.toFixed()]);
  });
  return getPlatformContext(tenant);
}
