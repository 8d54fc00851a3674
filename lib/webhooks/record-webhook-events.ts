import type { PoolClient } from "pg";
import { newId } from "@/lib/ids";
import { fusedColumns, fusedParams, type FusedWrite } from "@/lib/ledger";
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
  if (events.length === 0) return;
  const write = webhookEventsWrite(events);
  await client.query({ name: "webhooks_record_events", text: write.sql(1), values: fusedParams(write, events.map(() => customerId)) });
}

/** The outbox rows' columns after their customer id, in parameter order (webhookEventsWrite). */
const OUTBOX_COLUMNS = fusedColumns([["id", "text"], ["type", "text"], ["data", "jsonb"], ["created_at", "timestamptz"]]);

/**
 * The events of one customer as rows of the outbox insert, in the shape of a ledger flush
 * CTE (lib/ledger FusedWrite: its first parameter is the rows' customer ids, then one
 * parameter per column, OUTBOX_COLUMNS): recordWebhookEvents runs it alone, the
 * ledger's outbox listener fuses it into the batch's write statement (ledger-outbox.ts).
 */
export function webhookEventsWrite(events: readonly WebhookEventDraft[]): FusedWrite {
  return {
    name: "webhook_events_insert",
    sql: (n) => `INSERT INTO webhook_events (id, platform_id, live_mode, customer_id, type, data, created_at)
           SELECT v.id, c.platform_id, c.live_mode, c.id, v.type, v.data, v.created_at
             FROM ${OUTBOX_COLUMNS.rows(n)},
                  -- One primary-key lookup per row, whatever the (generic) plan thinks of the table:
                  -- a join here was a hash join over every customer, in every flush with webhooks.
                  LATERAL (SELECT c.id, c.platform_id, c.live_mode FROM customers c WHERE c.id = v.customer_id LIMIT 1) AS c`,
    columns: [events.map((e) => e.id), events.map((e) => e.type), events.map((e) => e.data), events.map((e) => e.createdAt)],
    types: OUTBOX_COLUMNS.types,
  };
}

