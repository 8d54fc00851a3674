import type { PoolClient } from "pg";
import { pool } from "@/lib/db";
import { Dec, amountToJson } from "@/lib/money";
import type { TopUpRecord, TopUpReview, TopUpStatus } from "./top-up";

export type { TopUpRecord } from "./top-up";

/** A Stripe event that caused a change, recorded once in `stripe_events`. */
export interface StripeEventRef {
  id: string;
  type: string;
}

export const TOP_UP_COLUMNS = `id, customer_id, status, amount, currency, description, account_name, asset, exchange_rate, credit_amount,
  credit_expires_at, checkout_session_id, payment_intent_id, grant_id, refunded_amount, review, expires_at`;

export interface TopUpRow {
  id: string; customer_id: string; status: TopUpStatus; amount: string; currency: string; description: string | null;
  account_name: string; asset: string; exchange_rate: string; credit_amount: string; credit_expires_at: Date | null;
  checkout_session_id: string | null; payment_intent_id: string | null; grant_id: string | null; refunded_amount: string; review: TopUpReview | null;
  expires_at: Date;
}

export function fromRow(r: TopUpRow): TopUpRecord {
  return {
    id: r.id,
    customerId: r.customer_id,
    status: r.status,
    amount: new Dec(r.amount),
    currency: r.currency,
    description: r.description,
    accountName: r.account_name,
    asset: r.asset,
    exchangeRate: new Dec(r.exchange_rate),
    creditAmount: new Dec(r.credit_amount),
    creditExpiresAt: r.credit_expires_at,
    checkoutSessionId: r.checkout_session_id,
    paymentIntentId: r.payment_intent_id,
    grantId: r.grant_id,
    refundedAmount: new Dec(r.refunded_amount),
    review: r.review,
    expiresAt: r.expires_at,
  };
}

type Db = Pick<PoolClient, "query">;

/** The `data` of `top_up.succeeded` and `top_up.failed` webhooks. */
export function topUpWebhookData(t: TopUpRecord): Record<string, unknown> {
  return {
    id: t.id,
    customer_id: t.customerId,
    status: t.status,
    amount: amountToJson(t.amount),
    currency: t.currency,
    description: t.description,
    destination: { account_name: t.accountName, asset: t.asset, exchange_rate: amountToJson(t.exchangeRate) },
    credit_amount: amountToJson(t.creditAmount),
    grant_id: t.grantId,
    payment_intent_id: t.paymentIntentId,
  };
}

export async function loadTopUps(db: Db, ids: string[]): Promise<TopUpRecord[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<TopUpRow>(`SELECT ${TOP_UP_COLUMNS} FROM top_ups WHERE id = ANY($1::text[])`, [ids]);
  return rows.map(fromRow);
}

export async function findTopUp(where: { id: string } | { checkoutSessionId: string } | { paymentIntentId: string }): Promise<TopUpRecord | null> {
  const [column, value] =
    "id" in where ? ["id", where.id] : "checkoutSessionId" in where ? ["checkout_session_id", where.checkoutSessionId] : ["payment_intent_id", where.paymentIntentId];
  const { rows } = await pool().query<TopUpRow>(`SELECT ${TOP_UP_COLUMNS} FROM top_ups WHERE ${column} = $1 ORDER BY created_at LIMIT 1`, [value]);
  return rows[0] ? fromRow(rows[0]) : null;
}

export async function loadSeenStripeEvents(db: Db, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const { rows } = await db.query<{ id: string }>(`SELECT id FROM stripe_events WHERE id = ANY($1::text[])`, [ids]);
  return new Set(rows.map((r) => r.id));
}

export async function isStripeEventRecorded(id: string): Promise<boolean> {
  return (await loadSeenStripeEvents(pool(), [id])).has(id);
}

/**
 * Inserts the events (no ON CONFLICT: another process that recorded the same event first
 * makes this a unique violation, so the ledger batch retries and then sees it as done).
 */
export async function insertStripeEvents(db: Db, events: StripeEventRef[]): Promise<void> {
  if (events.length === 0) return;
  await db.query(`INSERT INTO stripe_events (id, type) SELECT * FROM unnest($1::text[], $2::text[])`, [
    events.map((e) => e.id),
    events.map((e) => e.type),
  ]);
}

/** Writes back what settlement may change: status, payment intent, grant, refunded amount, review. */
export async function saveTopUpSettlement(db: Db, topUp: TopUpRecord): Promise<void> {
  await db.query(
    `UPDATE top_ups SET status = $3, payment_intent_id = $4, grant_id = $5, refunded_amount = $6, review = $7::jsonb, updated_at = now()
      WHERE id = $1 AND customer_id = $2`,
    [
      topUp.id,
      topUp.customerId,
      topUp.status,
      topUp.paymentIntentId,
      topUp.grantId,
      topUp.refundedAmount.toFixed(),
      topUp.review ? JSON.stringify(topUp.review) : null,
    ],
  );
}
