import type { Tenant } from "@/lib/tenant";
import { pool } from "@/lib/db";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { requestWebhookDispatch } from "./request-webhook-dispatch";

/**
 * Sends a finished delivery (`failed` after its last attempt, or `delivered`) once more, now:
 * it goes back to `pending`, due at once, and the dispatcher is asked to run. The attempt
 * count is kept, so the attempt log goes on numbering where it stopped; a delivery that had
 * used all its attempts gets exactly one more (a manual resend, as Stripe's), while one that
 * had attempts left retries with the usual backoff. The envelope is the same event (same `id`),
 * so a receiver that already has it dedupes it.
 *
 * A delivery still `pending` is already scheduled: ConflictError. An unknown delivery, or one
 * of another platform's or mode's endpoint, is NotFoundError (indistinguishable).
 */
export async function redeliverWebhookDelivery(tenant: Tenant, deliveryId: string): Promise<{ id: string; status: "pending" }> {
  const { rows } = await pool().query<{ id: string; previous: string }>(
    `WITH target AS (
       SELECT d.id, d.status FROM webhook_deliveries d
         JOIN webhook_endpoints e ON e.id = d.endpoint_id
        WHERE d.id = $1 AND e.platform_id = $2 AND e.live_mode = $3
        FOR UPDATE OF d)
     UPDATE webhook_deliveries d
        SET status = 'pending', next_attempt_at = now(), locked_until = NULL, delivered_at = NULL
       FROM target
      WHERE d.id = target.id AND target.status <> 'pending'
     RETURNING d.id, target.status AS previous`,
    [deliveryId, tenant.platformId, tenant.liveMode],
  );
  if (rows.length === 0) {
    const { rowCount } = await pool().query(
      `SELECT 1 FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
        WHERE d.id = $1 AND e.platform_id = $2 AND e.live_mode = $3`,
      [deliveryId, tenant.platformId, tenant.liveMode],
    );
    if (!rowCount) throw new NotFoundError(`no webhook delivery ${deliveryId}`);
    throw new ConflictError("This delivery is still pending: it is already scheduled to be sent.");
  }
  requestWebhookDispatch();
  return { id: deliveryId, status: "pending" };
}
