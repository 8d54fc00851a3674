import type Stripe from "stripe";
import { isStripeEventRecorded } from "@/lib/top-ups";
import { findRequest, recordPaymentIntent } from "./auto-top-up-records";
import { settleFromPaymentIntent } from "./process-auto-top-ups";

export interface PaymentIntentEventResult {
  status: "processed" | "duplicate" | "ignored";
  outcome?: string;
  top_up_id?: string;
  reason?: string;
}

const EVENTS = new Set(["payment_intent.succeeded", "payment_intent.payment_failed"]);

/**
 * `payment_intent.succeeded` and `payment_intent.payment_failed` of auto top-ups' payments
 * (their metadata names the request; other payment intents, such as Checkout top-ups',
 * which their Checkout events settle, are ignored). Settled as the job settles its own
 * answer (settleFromPaymentIntent): the credit goes through creditPaidTopUp with the event,
 * so the event id is recorded with the credit and any number of deliveries, in any order
 * and racing the job, credit once. null: not an event this module handles.
 */
export async function handleAutoTopUpStripeEvent(event: Stripe.Event): Promise<PaymentIntentEventResult | null> {
  if (!EVENTS.has(event.type)) return null;
  const intent = event.data.object as Stripe.PaymentIntent;
  const autoTopUpId = intent.metadata?.auto_top_up_id;
  if (!autoTopUpId) return { status: "ignored", reason: "not an auto top-up's payment" };
  if (await isStripeEventRecorded(event.id)) return { status: "duplicate" };
  const r = await findRequest({ id: autoTopUpId });
  if (!r?.top_up_id || r.customer_id !== intent.metadata?.customer_id) return { status: "ignored", reason: "no such auto top-up" };
  await recordPaymentIntent(r.id, intent.id);
  const outcome = await settleFromPaymentIntent(r.id, r.top_up_id, r.customer_id, intent, { id: event.id, type: event.type });
  return { status: "processed", outcome, top_up_id: r.top_up_id };
}
