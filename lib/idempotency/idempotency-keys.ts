import { pool } from "@/lib/db";
import type { Tenant } from "@/lib/tenant";

/**
 * Storage of `Idempotency-Key` claims and answers (table `idempotency_keys`, one key per
 * platform and mode). The HTTP side (which requests use a key, the request hash, replays
 * and their problems) is lib/api/idempotency.ts; this module is what both it and the
 * pruning job need, so the jobs do not depend on the HTTP layer.
 */

/** How long an answer is replayed; older rows may be replaced, and are pruned. */
const RETENTION = "24 hours";
/** A claim without an answer this old was left by a process that died: it may be taken over. */
const ABANDONED_AFTER = "5 minutes";

export interface StoredAnswer {
  request_hash: string;
  response_status: number | null;
  response_type: string | null;
  response_body: string | null;
}

/** What is kept for replays: the first answer's status, Content-Type and body text. */
export interface IdempotentAnswer {
  status: number;
  type: string | null;
  body: string;
}

/**
 * Claims `key` for this request, or returns what an earlier request with it left: in one
 * statement, a new row is inserted, or an expired or abandoned one taken over; otherwise
 * the existing row comes back and the caller decides (replay, in use, reused).
 */
export async function claimIdempotencyKey(tenant: Tenant, key: string, hash: string): Promise<StoredAnswer | null> {
  const claimed = await pool().query(
    `INSERT INTO idempotency_keys (platform_id, live_mode, key, request_hash)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (platform_id, live_mode, key) DO UPDATE
        SET request_hash = EXCLUDED.request_hash, response_status = NULL, response_type = NULL,
            response_body = NULL, created_at = now()
      WHERE idempotency_keys.created_at < now() - interval '${RETENTION}'
         OR (idempotency_keys.response_status IS NULL AND idempotency_keys.created_at < now() - interval '${ABANDONED_AFTER}')
     RETURNING 1`,
    [tenant.platformId, tenant.liveMode, key, hash],
  );
  if (claimed.rowCount === 1) return null;
  const { rows } = await pool().query<StoredAnswer>(
    `SELECT request_hash, response_status, response_type, response_body FROM idempotency_keys
      WHERE platform_id = $1 AND live_mode = $2 AND key = $3`,
    [tenant.platformId, tenant.liveMode, key],
  );
  // Pruned between the two statements: claim again.
  return rows[0] ?? claimIdempotencyKey(tenant, key, hash);
}

/** Drops a claim that has no answer yet, so a retry runs again. */
export async function releaseIdempotencyKey(tenant: Tenant, key: string): Promise<void> {
  await pool().query(
    `DELETE FROM idempotency_keys WHERE platform_id = $1 AND live_mode = $2 AND key = $3 AND response_status IS NULL`,
    [tenant.platformId, tenant.liveMode, key],
  );
}

/** Keeps the claim's answer for replays. */
export async function storeIdempotentAnswer(tenant: Tenant, key: string, answer: IdempotentAnswer): Promise<void> {
  await pool().query(
    `UPDATE idempotency_keys SET response_status = $4, response_type = $5, response_body = $6
      WHERE platform_id = $1 AND live_mode = $2 AND key = $3`,
    [tenant.platformId, tenant.liveMode, key, answer.status, answer.type, answer.body],
  );
}

/** Deletes answers older than the retention period (the hourly job). Returns how many. */
export async function pruneIdempotencyKeys(): Promise<number> {
  const { rowCount } = await pool().query(`DELETE FROM idempotency_keys WHERE created_at < now() - interval '${RETENTION}'`);
  return rowCount ?? 0;
}
