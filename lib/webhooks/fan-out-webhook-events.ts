import { pool } from "@/lib/db";
import { newId } from "@/lib/ids";
import { ALL_TOPICS } from "./topics";

const FAN_OUT_BATCH = 500;

/**
 * Turns outbox events into deliveries: one per endpoint of the event's tenant (same
 * platform and mode, never another) subscribed to its topic (or to `*`) and created no
 * later than the event. Each event is fanned out once: rows are taken with FOR UPDATE
 * SKIP LOCKED, the deliveries inserted and the event marked in one transaction, and
 * (endpoint, event) is unique, so concurrent dispatchers neither skip nor double anything.
 * Returns the number of events fanned out.
 */
export async function fanOutWebhookEvents(): Promise<{ events: number; deliveries: number }> {
  let events = 0;
  let deliveries = 0;
  for (;;) {
    const done = await fanOutBatch();
    events += done.events;
    deliveries += done.deliveries;
    if (done.events < FAN_OUT_BATCH) return { events, deliveries };
  }
}

async function fanOutBatch(): Promise<{ events: number; deliveries: number }> {
  const client = await pool().connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query<{ event_id: string; type: string; endpoint_id: string | null }>(
      `WITH ev AS (
         SELECT id, platform_id, live_mode, type, created_at FROM webhook_events
          WHERE fanned_out_at IS NULL ORDER BY created_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
       SELECT ev.id AS event_id, ev.type, e.id AS endpoint_id
         FROM ev LEFT JOIN webhook_endpoints e
           ON e.platform_id = ev.platform_id AND e.live_mode = ev.live_mode AND e.created_at <= ev.created_at
          AND (ev.type = ANY(e.topics) OR $2 = ANY(e.topics))
        ORDER BY ev.created_at, ev.id`,
      [FAN_OUT_BATCH, ALL_TOPICS],
    );
    const eventIds = [...new Set(rows.map((r) => r.event_id))];
    const targets = rows.filter((r): r is typeof r & { endpoint_id: string } => r.endpoint_id !== null);
    if (targets.length > 0) {
      await client.query(
        `INSERT INTO webhook_deliveries (id, endpoint_id, event_id, type, status, attempts, next_attempt_at, created_at)
         SELECT id, endpoint_id, event_id, type, 'pending', 0, now(), now()
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS v(id, endpoint_id, event_id, type)
         ON CONFLICT (endpoint_id, event_id) DO NOTHING`,
        [targets.map(() => newId("whd")), targets.map((t) => t.endpoint_id), targets.map((t) => t.event_id), targets.map((t) => t.type)],
      );
    }
    if (eventIds.length > 0) {
      await client.query(`UPDATE webhook_events SET fanned_out_at = now() WHERE id = ANY($1::text[])`, [eventIds]);
    }
    await client.query("COMMIT");
    return { events: eventIds.length, deliveries: targets.length };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
