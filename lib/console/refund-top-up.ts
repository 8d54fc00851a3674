import { ConflictError, ValidationError } from "@/lib/errors";
import type { Dec } from "@/lib/money";
import { stripeClient } from "@/lib/stripe/client";
import { getTopUpOrThrow, toMinorUnits, topUpCurrencyOrThrow } from "@/lib/top-ups";
import { recordAuditEvent } from "./audit-events";
import type { ConsoleContext } from "./operator-sessions";

/**
 * Refunds a paid top-up (all that is left, or `amount` of it) through Stripe's refund API.
 * The ledger is not touched here: Stripe's `charge.refunded` webhook reverses the credit
 * through the existing settlement path (lib/top-ups/stripe-webhooks), exactly as for a
 * refund made in Stripe's dashboard, so there is one path to the ledger. Stripe's
 * idempotency key names the top-up, what was refunded so far and the amount, so a double
 * submit refunds once, and records one audit row.
 */
export async function refundTopUp(
  ctx: ConsoleContext,
  topUpId: string,
  input: { amount?: Dec | null; idempotencyKey?: string | null },
): Promise<{ refundId: string; amount: Dec }> {
  const topUp = await getTopUpOrThrow(ctx.tenant, topUpId);
  if (topUp.status !== "succeeded" || !topUp.paymentIntentId) {
    throw new ConflictError(`top-up ${topUp.id} is ${topUp.status}: only a paid top-up can be refunded`);
  }
  const refundable = topUp.amount.minus(topUp.refundedAmount);
  const amount = input.amount ?? refundable;
  const currency = topUpCurrencyOrThrow(topUp.currency.toUpperCase());
  if (amount.lte(0) || amount.gt(refundable) || amount.decimalPlaces() > currency.precision) {
    throw new ValidationError(`a refund of this top-up is more than 0 and at most ${refundable.toFixed()} ${currency.code}`, [
      { field: "amount", message: `more than 0 and at most ${refundable.toFixed()}, ${currency.precision} decimal places` },
    ]);
  }
  // The form's key (one per confirmation) holds even when the first refund's webhook already
  // arrived between two submits; without one, what was refunded so far stands in for it.
  const attempt = input.idempotencyKey ? `key:${input.idempotencyKey}` : topUp.refundedAmount.toFixed();
  const idempotencyKey = `console-refund:${topUp.id}:${attempt}:${amount.toFixed()}`;
  const refund = await stripeClient().refunds.create({ payment_intent: topUp.paymentIntentId, amount: toMinorUnits(amount, currency) }, { idempotencyKey });
  // Under the same key: a double submit is one refund at Stripe and one audit row.
  await recordAuditEvent(ctx, {
    action: "top_up.refunded",
    targetType: "customer",
    targetId: topUp.customerId,
    detail: { top_up_id: topUp.id, amount: amount.toFixed(), currency: currency.code, stripe_refund_id: refund.id },
    idempotencyKey,
  });
  return { refundId: refund.id, amount };
}
