import type { PoolClient } from "pg";
import { pool } from "@/lib/db";
import { newId } from "@/lib/ids";
import { Dec, amountToJson } from "@/lib/money";
import { recordWebhookEvents, webhookEventDraft } from "@/lib/webhooks/record-webhook-events";
import { requestWebhookDispatch } from "@/lib/webhooks/request-webhook-dispatch";
import type { WebhookEventDraft } from "@/lib/webhooks/topics";
import { MAX_CONSECUTIVE_FAILURES, type AutoTopUpStatus } from "./auto-top-up";
import { invalidateAutoTopUpCache } from "./enabled-settings-cache";

/** An auto_top_ups row as the job reads it (raw SQL: the job claims rows with SKIP LOCKED). */
export interface AutoTopUpRequest {
  id: string;
  customer_id: string;
  account_name: string;
  asset: string;
  status: AutoTopUpStatus;
  amount: string;
  currency: string;
  credit_amount: string | null;
  payment_intent_id: string | null;
  top_up_id: string | null;
  failure_code: string | null;
  failure_message: string | null;
  created_at: Date;
}

export const REQUEST_COLUMNS = `id, customer_id, account_name, asset, status, amount, currency, credit_amount, payment_intent_id,
  top_up_id, failure_code, failure_message, created_at`;

/** The `data` of the `auto_top_up.*` webhooks: the request as it ended. */
export function autoTopUpWebhookData(r: AutoTopUpRequest): Record<string, unknown> {
  return {
    id: r.id,
    customer_id: r.customer_id,
    account_id: `${r.account_name}:${r.asset}`,
    asset: r.asset,
    status: r.status,
    amount: amountToJson(new Dec(r.amount)),
    currency: r.currency,
    credit_amount: r.credit_amount === null ? null : amountToJson(new Dec(r.credit_amount)),
    top_up_id: r.top_up_id,
    payment_intent_id: r.payment_intent_id,
    failure_code: r.failure_code,
    failure_message: r.failure_message,
    created_at: r.created_at.toISOString(),
  };
}

export interface Final {
  status: Exclude<AutoTopUpStatus, "pending" | "processing">;
  creditAmount?: Dec | null;
  paymentIntentId?: string | null;
  failureCode?: string | null;
  failureMessage?: string | null;
  /** Extra fields of the webhook (the cap for `capped`). */
  extra?: Record<string, unknown>;
}

const TOPIC = { succeeded: "auto_top_up.succeeded", failed: "auto_top_up.failed", capped: "auto_top_up.capped", skipped: null } as const;

/**
 * Ends a request, once: the move out of pending/processing is conditional, so the job, a
 * webhook and the reconciliation racing to finish the same request change it once, and
 * only that one writes its webhook (`auto_top_up.succeeded|failed|capped`), in the same
 * transaction (the outbox). The account's failure streak moves with it: a success resets
 * it; a failure adds one, and the third in a row switches the settings off
 * (`disabled_reason: failures`, `auto_top_up.disabled`). false: already ended.
 */
export async function finishAutoTopUp(id: string, final: Final): Promise<boolean> {
  const client = await pool().connect();
  let disabled = false;
  let customerId: string | null = null;
  try {
    await client.query("BEGIN");
    const { rows } = await client.query<AutoTopUpRequest>(
      `UPDATE auto_top_ups
          SET status = $2, credit_amount = COALESCE($3::numeric, credit_amount), payment_intent_id = COALESCE(payment_intent_id, $4::text),
              failure_code = $5, failure_message = $6, updated_at = now()
        WHERE id = $1 AND status IN ('pending', 'processing')
        RETURNING ${REQUEST_COLUMNS}`,
      [id, final.status, final.creditAmount?.toFixed() ?? null, final.paymentIntentId ?? null, final.failureCode ?? null, final.failureMessage ?? null],
    );
    const r = rows[0];
    if (!r) {
      await client.query("ROLLBACK");
      return false;
    }
    customerId = r.customer_id;
    const now = new Date();
    const drafts: WebhookEventDraft[] = [];
    const topic = TOPIC[final.status];
    if (topic) drafts.push(webhookEventDraft(topic, { ...autoTopUpWebhookData(r), ...final.extra }, now));
    if (final.status === "succeeded") {
      await client.query(
        `UPDATE auto_top_up_settings SET consecutive_failures = 0 WHERE customer_id = $1 AND account_name = $2 AND asset = $3 AND consecutive_failures <> 0`,
        [r.customer_id, r.account_name, r.asset],
      );
    } else if (final.status === "failed" && final.failureCode !== "held_for_review") {
      disabled = await countFailure(client, r, drafts, now);
    }
    await recordWebhookEvents(client, r.customer_id, drafts);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  requestWebhookDispatch();
  if (disabled && customerId) invalidateAutoTopUpCache(customerId);
  return true;
}

/**
 * The requests whose top-ups this ledger batch credited (`settledTopUpIds`) end
 * `succeeded` in the batch's own transaction, with their webhooks and the reset of the
 * failure streak: the request stops being in flight exactly when the credit commits, so a
 * crossing in the same batch or the very next one records the next request (the partial
 * index would refuse it while this one still looked in flight). Returns how many ended.
 */
export async function finishCreditedAutoTopUps(client: PoolClient, customerId: string, topUpIds: string[], now: Date): Promise<number> {
  const { rows } = await client.query<AutoTopUpRequest>(
    `UPDATE auto_top_ups SET status = 'succeeded', failure_code = NULL, failure_message = NULL, updated_at = $3
      WHERE customer_id = $1 AND top_up_id = ANY($2::text[]) AND status IN ('pending', 'processing')
      RETURNING ${REQUEST_COLUMNS}`,
    [customerId, topUpIds, now],
  );
  if (rows.length === 0) return 0;
  await client.query(
    `UPDATE auto_top_up_settings s SET consecutive_failures = 0
       FROM unnest($2::text[], $3::text[]) AS r(account_name, asset)
      WHERE s.customer_id = $1 AND s.account_name = r.account_name AND s.asset = r.asset AND s.consecutive_failures <> 0`,
    [customerId, rows.map((r) => r.account_name), rows.map((r) => r.asset)],
  );
  await recordWebhookEvents(
    client,
    customerId,
    rows.map((r) => webhookEventDraft("auto_top_up.succeeded", autoTopUpWebhookData(r), now)),
  );
  return rows.length;
}

async function countFailure(client: PoolClient, r: AutoTopUpRequest, drafts: WebhookEventDraft[], now: Date): Promise<boolean> {
  const key = [r.customer_id, r.account_name, r.asset];
  const before = await client.query<{ enabled: boolean }>(
    `SELECT enabled FROM auto_top_up_settings WHERE customer_id = $1 AND account_name = $2 AND asset = $3 FOR UPDATE`,
    key,
  );
  const wasEnabled = before.rows[0]?.enabled ?? false;
  const { rows } = await client.query<{ consecutive_failures: number; enabled: boolean }>(
    `UPDATE auto_top_up_settings
        SET consecutive_failures = consecutive_failures + 1,
            enabled = enabled AND consecutive_failures + 1 < $4,
            disabled_reason = CASE WHEN enabled AND consecutive_failures + 1 >= $4 THEN 'failures' ELSE disabled_reason END,
            updated_at = CASE WHEN enabled AND consecutive_failures + 1 >= $4 THEN now() ELSE updated_at END
      WHERE customer_id = $1 AND account_name = $2 AND asset = $3
      RETURNING consecutive_failures, enabled`,
    [...key, MAX_CONSECUTIVE_FAILURES],
  );
  const s = rows[0];
  if (!s || !wasEnabled || s.enabled) return false;
  drafts.push(
    webhookEventDraft(
      "auto_top_up.disabled",
      {
        customer_id: r.customer_id,
        account_id: `${r.account_name}:${r.asset}`,
        asset: r.asset,
        reason: "failures",
        consecutive_failures: s.consecutive_failures,
        last_auto_top_up_id: r.id,
        failure_code: r.failure_code,
      },
      now,
    ),
  );
  return true;
}

/** Stores the payment intent on the request as soon as Stripe names it. */
export async function recordPaymentIntent(id: string, paymentIntentId: string): Promise<void> {
  await pool().query(`UPDATE auto_top_ups SET payment_intent_id = $2, updated_at = now() WHERE id = $1 AND payment_intent_id IS NULL`, [id, paymentIntentId]);
}

export async function findRequest(where: { id: string } | { paymentIntentId: string }): Promise<AutoTopUpRequest | null> {
  const [column, value] = "id" in where ? ["id", where.id] : ["payment_intent_id", where.paymentIntentId];
  const { rows } = await pool().query<AutoTopUpRequest>(`SELECT ${REQUEST_COLUMNS} FROM auto_top_ups WHERE ${column} = $1`, [value]);
  return rows[0] ?? null;
}

/**
 * Records a request for an account whose enabled auto top-up finds it already below the
 * threshold (switched on, or changed, while the wallet is low or empty): nothing would
 * cross, so without this an empty wallet would wait forever. The same partial unique index
 * as the trigger's keeps it to one in flight. True when a request was recorded.
 */
export async function requestAutoTopUpIfBelow(customerId: string, accountName: string, asset: string): Promise<boolean> {
  const { rowCount } = await pool().query(
    `INSERT INTO auto_top_ups (id, customer_id, account_name, asset, status, amount, currency, created_at, updated_at)
     SELECT $1, s.customer_id, s.account_name, s.asset, 'pending', s.amount, s.currency, now(), now()
       FROM auto_top_up_settings s
       LEFT JOIN accounts a ON a.customer_id = s.customer_id AND a.name = s.account_name AND a.asset = s.asset
      WHERE s.customer_id = $2 AND s.account_name = $3 AND s.asset = $4 AND s.enabled
        AND COALESCE(a.balance - a.pending_out, 0) < s.threshold
     ON CONFLICT (customer_id, account_name, asset) WHERE status IN ('pending', 'processing') DO NOTHING`,
    [newId("atu"), customerId, accountName, asset],
  );
  return (rowCount ?? 0) > 0;
}

