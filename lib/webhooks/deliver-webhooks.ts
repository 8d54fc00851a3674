import { pool } from "@/lib/db";
import { sendWebhookRequest, type WebhookRequestResult } from "./send-webhook-request";
import { signatureHeaders } from "./signature";

/** Attempts per delivery before it is given up as `failed`. */
export const MAX_DELIVERY_ATTEMPTS = 10;
/** Wait after the first failed attempt; doubled after each further one (30 s … 2 h 8 min; ~4 h 15 min over 10 attempts). */
export const FIRST_RETRY_SECONDS = 30;
/** A request that has not answered by then is a failed attempt. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** How long a sender holds a claimed delivery; if it dies, another sends it after that. */
const LEASE_SECONDS = 120;
const CLAIM_BATCH = 20;
/** What of a non-2xx answer's body is kept in the log (only ever of a destination the policy allowed). */
const SNIPPET_CHARS = 300;

/** Seconds to wait after failed attempt number `attempt` (1-based). */
export function retryDelaySeconds(attempt: number): number {
  return FIRST_RETRY_SECONDS * 2 ** (attempt - 1);
}

export interface DeliveryRun {
  attempted: number;
  delivered: number;
  /** Given up after the last attempt. */
  failed: number;
}

interface Claimed {
  id: string;
  attempts: number;
  url: string;
  secret: string;
  event_id: string;
  type: string;
  data: unknown;
  created_at: Date;
  live_mode: boolean;
}

/**
 * Sends every pending delivery due by `dueBy` (default: the time of each claim; tests pass a
 * later time to skip the backoff waits), until none is left or `timeBudgetMs` has passed.
 * `endpointId` limits it to one endpoint's deliveries (tests that change the destination
 * policy use it so they never attempt another test's deliveries).
 *
 * Guarantees: at least once. A delivery is claimed with a lease (FOR UPDATE SKIP LOCKED,
 * so concurrent dispatchers never send it at the same time), POSTed with a fresh
 * signature, and its attempt recorded in one statement with its new state: 2xx →
 * `delivered`; otherwise retried after retryDelaySeconds, and `failed` after
 * MAX_DELIVERY_ATTEMPTS. A sender that dies mid-attempt leaves the lease to run out, and
 * the delivery is sent again: receivers dedupe on the envelope's `id`. A destination the
 * policy refuses now (webhook-destination-policy.ts: DNS may have changed since
 * registration) is a failed attempt that sent nothing, logged with a generic reason.
 */
export async function deliverDueWebhooks(options: { dueBy?: Date; timeBudgetMs?: number; endpointId?: string } = {}): Promise<DeliveryRun> {
  const run: DeliveryRun = { attempted: 0, delivered: 0, failed: 0 };
  const stopAt = Date.now() + (options.timeBudgetMs ?? 30_000);
  for (;;) {
    const claimed = await claimDue(options.dueBy ?? new Date(), options.endpointId ?? null);
    const outcomes = await Promise.all(claimed.map(attemptDelivery));
    for (const o of outcomes) {
      run.attempted++;
      if (o === "delivered") run.delivered++;
      if (o === "failed") run.failed++;
    }
    if (claimed.length < CLAIM_BATCH || Date.now() >= stopAt) return run;
  }
}

async function claimDue(dueBy: Date, endpointId: string | null): Promise<Claimed[]> {
  const { rows } = await pool().query<Claimed>(
    `WITH due AS (
       SELECT id FROM webhook_deliveries
        WHERE status = 'pending' AND next_attempt_at <= $1 AND (locked_until IS NULL OR locked_until <= now())
          AND ($4::text IS NULL OR endpoint_id = $4)
        ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
     UPDATE webhook_deliveries d SET locked_until = now() + make_interval(secs => $3)
       FROM due, webhook_endpoints e, webhook_events ev
      WHERE d.id = due.id AND e.id = d.endpoint_id AND ev.id = d.event_id
     RETURNING d.id, d.attempts, e.url, e.secret, ev.id AS event_id, ev.type, ev.data, ev.created_at, ev.live_mode`,
    [dueBy, CLAIM_BATCH, LEASE_SECONDS, endpointId],
  );
  return rows;
}

/**
 * The body every attempt of an event sends (PRODUCT.md: `{"id","type","created","live_mode","data"}`);
 * `created` is an ISO 8601 time, as in Credyt's envelope.
 */
export function envelopeBody(event: { id: string; type: string; createdAt: Date; liveMode: boolean; data: unknown }): string {
  return JSON.stringify({
    id: event.id,
    type: event.type,
    created: event.createdAt.toISOString(),
    live_mode: event.liveMode,
    data: event.data,
  });
}


async function attemptDelivery(d: Claimed): Promise<"delivered" | "retry" | "failed" | "gone"> {
  const body = envelopeBody({ id: d.event_id, type: d.type, createdAt: d.created_at, liveMode: d.live_mode, data: d.data });
  const attemptedAt = new Date();
  const result = await post(d.url, body, d.secret, d.event_id, attemptedAt);
  const durationMs = Date.now() - attemptedAt.getTime();
  const attempt = d.attempts + 1;
  const status = result.ok ? "delivered" : attempt >= MAX_DELIVERY_ATTEMPTS ? "failed" : "pending";
  const nextAttemptAt = status === "pending" ? new Date(attemptedAt.getTime() + retryDelaySeconds(attempt) * 1000) : null;
  // State and log in one statement; nothing is logged when the endpoint was deleted meanwhile.
  const { rowCount } = await pool().query(
    `WITH d AS (
       UPDATE webhook_deliveries
          SET attempts = $2, status = $3, last_status = $4, last_error = $5, next_attempt_at = $6,
              delivered_at = CASE WHEN $3 = 'delivered' THEN $7::timestamptz END, locked_until = NULL
        WHERE id = $1 AND status = 'pending'
       RETURNING id)
     INSERT INTO webhook_delivery_attempts (delivery_id, attempt, status_code, error, duration_ms, attempted_at)
     SELECT id, $2, $4, $5, $8, $7 FROM d`,
    [d.id, attempt, status, result.statusCode, result.error, nextAttemptAt, attemptedAt, durationMs],
  );
  if (!rowCount) return "gone";
  return status === "pending" ? "retry" : status;
}

/** One signed POST; the destination policy is checked inside (sendWebhookRequest). */
function post(url: string, body: string, secret: string, eventId: string, at: Date): Promise<WebhookRequestResult> {
  return sendWebhookRequest(
    url,
    body,
    {
      "Content-Type": "application/json",
      "User-Agent": "Drawdown-Webhooks/1",
      ...signatureHeaders(body, secret, Math.floor(at.getTime() / 1000)),
      "Drawdown-Event-Id": eventId,
    },
    { timeoutMs: DELIVERY_TIMEOUT_MS, snippetChars: SNIPPET_CHARS },
  );
}
