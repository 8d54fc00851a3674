import type Stripe from "stripe";
import { stripeClient } from "@/lib/stripe/client";
import {
  creditPaidTopUp,
  findTopUp,
  fromMinorUnits,
  holdTopUpForReview,
  refundMismatch,
  reverseRefundedTopUp,
  topUpCurrencyOrThrow,
  withholdsCredit,
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
 *
 * A refund in another currency than the top-up's, or of more than it paid, reverses
 * nothing: the top-up is held for review and Stripe gets a 200 (lib/top-ups
 * review-top-up.ts). A refund of a top-up held for review or rejected (never credited) is recorded
 * in `refunded_amount` only.
 */
export async function handleChargeRefunded(event: Stripe.Event): Promise<WebhookResult> {
  const charge = event.data.object as Stripe.Charge;
  const paymentIntentId = typeof charge.payment_intent === "string" ? charge.payment_intent : (charge.payment_intent?.id ?? null);
  if (!paymentIntentId) return { status: "ignored", reason: "charge without a payment intent" };
  let topUp = await findTopUpOfPayment(paymentIntentId);
  if (!topUp) return { status: "ignored", reason: "not a top-up's payment" };

  const ref: StripeEventRef = { id: event.id, type: event.type };
  const mismatch = refundMismatch(topUp, charge);
  if (mismatch) {
    const held = await holdTopUpForReview(topUp, mismatch, { event: ref });
    return { status: held === "duplicate_event" ? "duplicate" : "processed", outcome: held, top_up_id: topUp.id };
  }
  const currency = topUpCurrencyOrThrow(topUp.currency);
  if (!topUp.grantId && !withholdsCredit(topUp.review)) topUp = await settleFromStripe(topUp, paymentIntentId);

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
  await creditPaidTopUp(topUp, { paymentIntentId, event: null, paid: { amountTotal: session.amount_total, currency: session.currency } });
  const settled = await findTopUp({ id: topUp.id });
  // Held for review instead of credited: the refund is then only recorded.
  if (!settled || (!settled.grantId && !withholdsCredit(settled.review))) throw new Error(`top-up ${topUp.id} was not credited`);
  return settled;
}
