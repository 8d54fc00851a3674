import type { PoolClient } from "pg";
import { newId } from "@/lib/ids";
import type { WebhookEventDraft, WebhookTopic } from "./topics";

/** A new outbox event (its id is made now, so every retry of the change makes a new one). */
export function webhookEventDraft(type: WebhookTopic, data: Record<string, unknown>, createdAt: Date): WebhookEventDraft {
  return { id: newId("evt"), type, data, createdAt };
}

/**
 * Records events in the outbox (`webhook_events`) inside the caller's transaction, so they
 * exist exactly when the change that caused them committed: a rolled-back or retried
 * ledger batch leaves none behind, a committed one cannot lose them even if the process
 * dies right after COMMIT (the dispatch job picks up every row not yet fanned out).
 *
 * One statement whatever the number of events; the tenant (platform and mode) comes from
 * the customer's row in the same statement, so the ledger's hot path pays no extra read.
 * A customer id without a customer row (ledger unit tests) has no tenant to notify, and
 * its events are not recorded.
 */
export async function recordWebhookEvents(client: Pick<PoolClient, "query">, customerId: string, events: WebhookEventDraft[]): Promise<void> {
  await recordCustomersWebhookEvents(client, [{ customerId, events }]);
}

/** `recordWebhookEvents` for several customers at once (a ledger transaction of several customers' batches), still one statement. */
export async function recordCustomersWebhookEvents(
  client: Pick<PoolClient, "query">,
  items: readonly { customerId: string; events: readonly WebhookEventDraft[] }[],
): Promise<void> {
  const rows = items.flatMap(({ customerId, events }) => events.map((e) => ({ customerId, e })));
  if (rows.length === 0) return;
  await client.query({
    name: "webhooks_record_events",
    text: `INSERT INTO webhook_events (id, platform_id, live_mode, customer_id, type, data, created_at)
           SELECT v.id, c.platform_id, c.live_mode, c.id, v.type, v.data, v.created_at
             FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::timestamptz[]) AS v(customer_id, id, type, data, created_at)
             JOIN customers c ON c.id = v.customer_id`,
    values: [
      rows.map((r) => r.customerId),
      rows.map((r) => r.e.id),
      rows.map((r) => r.e.type),
      rows.map((r) => JSON.stringify(r.e.data)),
      rows.map((r) => r.e.createdAt),
    ],
  });
}
