import { pool } from "@/lib/db";
import { deliverDueWebhooks, type DeliveryRun } from "./deliver-webhooks";
import { fanOutWebhookEvents } from "./fan-out-webhook-events";

export interface DispatchRun extends DeliveryRun {
  /** Outbox events fanned out, and the deliveries they made. */
  fannedOut: number;
  deliveriesCreated: number;
  /** When the next pending attempt is due (or a lease runs out); null when nothing is pending. */
  nextAttemptAt: Date | null;
}

/**
 * The webhook dispatch job's body (lib/jobs runs it when asked after a commit, every
 * minute, and at the next retry time it returns): fans out the outbox, sends what is due,
 * and says when to run again. Safe to run concurrently and repeatedly (see
 * fanOutWebhookEvents and deliverDueWebhooks). `dueBy` lets tests send retries without
 * waiting out the backoff.
 */
export async function dispatchWebhooks(options: { dueBy?: Date; timeBudgetMs?: number } = {}): Promise<DispatchRun> {
  const fanned = await fanOutWebhookEvents();
  const delivered = await deliverDueWebhooks(options);
  return { ...delivered, fannedOut: fanned.events, deliveriesCreated: fanned.deliveries, nextAttemptAt: await nextAttemptAt() };
}

async function nextAttemptAt(): Promise<Date | null> {
  const { rows } = await pool().query<{ next: Date | null }>(
    `SELECT min(GREATEST(next_attempt_at, COALESCE(locked_until, next_attempt_at))) AS next
       FROM webhook_deliveries WHERE status = 'pending'`,
  );
  return rows[0]?.next ?? null;
}
