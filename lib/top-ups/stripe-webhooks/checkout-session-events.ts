import type Stripe from "stripe";
import { creditPaidTopUp, findTopUp, recordTopUpState, type StripeEventRef } from "@/lib/top-ups";
import type { WebhookResult } from "./types";

export type CheckoutSessionEventType =
  | "checkout.session.completed"
  | "checkout.session.async_payment_succeeded"
  | "checkout.session.async_payment_failed"
  | "checkout.session.expired";

/**
 * Checkout Session events of top-up sessions (matched by session id, the unique key we
 * stored; sessions that are not top-ups are ignored):
 * - `completed` with payment_status `paid`, and `async_payment_succeeded`: credit the
 *   destination account exactly once and mark the top-up `succeeded`, when the session's
 *   `amount_total` and `currency` are the top-up's; otherwise (or when the credit would
 *   pass the balance ceiling) credit nothing and hold the top-up for review, answered 200
 *   so Stripe stops retrying (lib/top-ups review-top-up.ts);
 * - `completed` still `unpaid` (a delayed payment method): remember the payment intent so
 *   the expiry job leaves the top-up to the async events;
 * - `async_payment_failed` → `failed`, `expired` → `expired`, both only from `initiated`.
 * Each is recorded in `stripe_events` in the transaction of its effect (lib/top-ups
 * settle-top-up.ts), so any number of deliveries, in any order, has one effect.
 */
export async function handleCheckoutSessionEvent(event: Stripe.Event, type: CheckoutSessionEventType): Promise<WebhookResult> {
  const session = event.data.object as Stripe.Checkout.Session;
  const topUp = await findTopUp({ checkoutSessionId: session.id });
  if (!topUp) return { status: "ignored", reason: "not a top-up's Checkout Session" };
  const ref: StripeEventRef = { id: event.id, type: event.type };
  const paymentIntentId = typeof session.payment_intent === "string" ? session.payment_intent : (session.payment_intent?.id ?? null);

  let outcome: string;
  if (type === "checkout.session.async_payment_succeeded" || (type === "checkout.session.completed" && session.payment_status === "paid")) {
    const paid = { amountTotal: session.amount_total, currency: session.currency };
    outcome = await creditPaidTopUp(topUp, { paymentIntentId, event: ref, paid });
  } else if (type === "checkout.session.completed") {
    outcome = await recordTopUpState(topUp.id, { paymentIntentId }, ref);
  } else if (type === "checkout.session.async_payment_failed") {
    outcome = await recordTopUpState(topUp.id, { status: "failed", paymentIntentId }, ref);
  } else {
    outcome = await recordTopUpState(topUp.id, { status: "expired" }, ref);
  }
  return { status: outcome === "duplicate_event" ? "duplicate" : "processed", outcome, top_up_id: topUp.id };
}
