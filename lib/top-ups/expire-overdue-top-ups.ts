import Stripe from "stripe";
import { pool } from "@/lib/db";
import { stripeClient } from "@/lib/stripe/client";
import { NO_OPEN_REVIEW, creditPaidTopUp, recordTopUpState } from "./settle-top-up";

export interface ExpiryRun {
  /** Top-ups now `expired` (their Checkout Sessions expired at Stripe). */
  expired: string[];
  /** Found paid at Stripe (their webhook had not arrived yet): credited instead. */
  settled: string[];
  /** A delayed payment is in progress: left to its webhooks. */
  processing: string[];
  /** Found paid at Stripe but held for review (review-top-up.ts) instead of credited. */
  held: string[];
  /** Could not be handled this run (Stripe unreachable, …); tried again next run. */
  failed: { id: string; error: string }[];
}

const BATCH_SIZE = 100;

interface OverdueRow {
  id: string;
  customer_id: string;
  checkout_session_id: string | null;
  expires_at: Date;
}

/**
 * The top-up expiry job (lib/jobs runs it every minute): every `initiated` top-up whose
 * `expires_at` is at or before `now` and has no payment in progress is expired, and so is
 * its Checkout Session at Stripe, so nobody can pay it afterwards.
 *
 * Stripe decides races with the customer: the session is expired there first, and only
 * when Stripe agrees (or says it already was) does the top-up become `expired`. If Stripe
 * says the session completed, the payment won: a paid session is credited right here
 * (the same exactly-once credit as the webhook's), a delayed payment is left `initiated`
 * for its webhooks. The status change is conditional on `initiated`, so a webhook that
 * settles the top-up meanwhile wins. Safe to run concurrently and repeatedly.
 *
 * A top-up held for review (paid, but its payment disagreed with it or its credit would
 * pass the balance ceiling) is never expired: the money was taken, and only an operator
 * decides what happens to it (review-top-up.ts). A paid session found here is checked
 * like the webhook's (amount_total, currency) and may be held instead of credited.
 */
export async function expireOverdueTopUps(now: Date = new Date()): Promise<ExpiryRun> {
  const run: ExpiryRun = { expired: [], settled: [], processing: [], held: [], failed: [] };
  // Keyset pages, so top-ups that fail (and stay initiated) never hide the ones after them.
  let after: { expiresAt: Date; id: string } | null = null;
  for (;;) {
    const { rows } = await pool().query<OverdueRow>(
      `SELECT id, customer_id, checkout_session_id, expires_at FROM top_ups
        WHERE status = 'initiated' AND expires_at <= $1 AND payment_intent_id IS NULL AND ${NO_OPEN_REVIEW}
          AND ($2::timestamptz IS NULL OR (expires_at, id) > ($2::timestamptz, $3::text))
        ORDER BY expires_at, id LIMIT ${BATCH_SIZE}`,
      [now, after?.expiresAt ?? null, after?.id ?? null],
    );
    for (const row of rows) {
      try {
        const outcome = await expireTopUp(row.id, row.customer_id, row.checkout_session_id);
        run[outcome].push(row.id);
      } catch (error) {
        run.failed.push({ id: row.id, error: error instanceof Error ? error.message : String(error) });
      }
    }
    if (rows.length < BATCH_SIZE) break;
    const last: OverdueRow = rows[rows.length - 1]!;
    after = { expiresAt: last.expires_at, id: last.id };
  }
  return run;
}

async function expireTopUp(id: string, customerId: string, sessionId: string | null): Promise<"expired" | "settled" | "processing" | "held"> {
  if (sessionId) {
    const session = await expireSessionAtStripe(sessionId);
    if (session.status === "complete") {
      const paymentIntentId = typeof session.payment_intent === "string" ? session.payment_intent : (session.payment_intent?.id ?? null);
      if (session.payment_status === "paid") {
        const paid = { amountTotal: session.amount_total, currency: session.currency };
        const outcome = await creditPaidTopUp({ id, customerId }, { paymentIntentId, event: null, paid });
        return outcome === "held_for_review" ? "held" : "settled";
      }
      await recordTopUpState(id, { paymentIntentId }, null);
      return "processing";
    }
    if (session.status !== "expired") throw new Error(`Checkout Session ${sessionId} is still ${session.status}`);
  }
  await recordTopUpState(id, { status: "expired" }, null);
  return "expired";
}

/** Expires the session; when Stripe refuses (no longer open) answers its current state. */
async function expireSessionAtStripe(sessionId: string): Promise<Stripe.Checkout.Session> {
  const stripe = stripeClient();
  try {
    return await stripe.checkout.sessions.expire(sessionId);
  } catch (error) {
    if (!(error instanceof Stripe.errors.StripeInvalidRequestError)) throw error;
    return stripe.checkout.sessions.retrieve(sessionId);
  }
}
