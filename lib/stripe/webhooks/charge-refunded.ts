import type Stripe from "stripe";
import { stripeClient } from "@/lib/stripe/client";
import {
  creditPaidTopUp,
  findTopUp,
  fromMinorUnits,
  reverseRefundedTopUp,
  topUpCurrencyOrThrow,
  type StripeEventRef,
  type TopUpRecord,
} from "@/lib/top-ups";
import type { WebhookResult } from "./types";

/**
 * `charge.refunded`: takes back the refunded part of a top-up's credit (what is left of
 * its grant; the rest becomes debt). The charge carries its cumulative `amount_refunded`,
 * so only the part beyond what earlier events applied is reversed (reverseRefundedTopUp).
 *
 * The top-up is found by payment intent, or, when the payment's own webhook has not been
 * handled yet (events arrive in any order), through Stripe's session list for that
 * payment intent; such a top-up is first credited from the session's state at Stripe
 * (paid, or this throws and Stripe retries the event later). Charges that are not
 * top-ups' are ignored.
 */
export async function handleChargeRefunded(event: Stripe.Event): Promise<WebhookResult> {
  const charge = event.data.object as Stripe.Charge;
  const paymentIntentId = typeof charge.payment_intent === "string" ? charge.payment_intent : (charge.payment_intent?.id ?? null);
  if (!paymentIntentId) return { status: "ignored", reason: "charge without a payment intent" };
  let topUp = await findTopUpOfPayment(paymentIntentId);
  if (!topUp) return { status: "ignored", reason: "not a top-up's payment" };

  const currency = topUpCurrencyOrThrow(topUp.currency);
  if (charge.currency.toUpperCase() !== currency.code) {
    throw new Error(`charge ${charge.id} is in ${charge.currency}, top-up ${topUp.id} in ${currency.code}`);
  }
  if (!topUp.grantId) topUp = await settleFromStripe(topUp, paymentIntentId);

  const ref: StripeEventRef = { id: event.id, type: event.type };
  const outcome = await reverseRefundedTopUp(topUp, fromMinorUnits(charge.amount_refunded, currency), ref);
  return { status: outcome === "duplicate_event" ? "duplicate" : "processed", outcome, top_up_id: topUp.id };
}

async function findTopUpOfPayment(paymentIntentId: string): Promise<TopUpRecord | null> {
  const known = await findTopUp({ paymentIntentId });
  if (known) return known;
  const sessions = await stripeClient().checkout.sessions.list({ payment_intent: paymentIntentId, limit: 1 });
  const session = sessions.data[0];
  return session ? findTopUp({ checkoutSessionId: session.id }) : null;
}

async function settleFromStripe(topUp: TopUpRecord, paymentIntentId: string): Promise<TopUpRecord> {
  if (!topUp.checkoutSessionId) throw new Error(`top-up ${topUp.id} has no Checkout Session`);
  const session = await stripeClient().checkout.sessions.retrieve(topUp.checkoutSessionId);
  if (session.payment_status !== "paid") throw new Error(`refund for top-up ${topUp.id}, whose session is not paid`);
  await creditPaidTopUp(topUp, { paymentIntentId, event: null });
  const settled = await findTopUp({ id: topUp.id });
  if (!settled?.grantId) throw new Error(`top-up ${topUp.id} was not credited`);
  return settled;
}
