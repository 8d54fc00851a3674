import { pool } from "@/lib/db";
import { runInCustomerBatch } from "@/lib/ledger";
// The expiries' `hold.expired` webhooks are written by lib/webhooks' outbox listener.
import "@/lib/webhooks/ledger-outbox";

/**
 * Releases every open hold past its expiry: one ledger batch per customer that has one.
 * Each batch releases the customer's due holds first thing (WalletTx.expireDueHolds) and
 * raises `hold.expired` for each, so a hold is expired exactly once, whether this job, a
 * charge or a capture gets there first. Returns how many customers it visited.
 */
export async function expireDueHolds(limit = 1000): Promise<number> {
  const { rows } = await pool().query<{ customer_id: string }>(
    `SELECT DISTINCT customer_id FROM holds WHERE status = 'held' AND expires_at <= now() LIMIT $1`,
    [limit],
  );
  await Promise.all(rows.map((r) => runInCustomerBatch(r.customer_id, { idempotencyKeys: [], apply: () => undefined })));
  return rows.length;
}
