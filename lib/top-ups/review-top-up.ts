import { runInCustomerBatch } from "@/lib/ledger";
// Its batches write webhooks (grant expiries, low balances) through lib/webhooks' outbox listener.
import "@/lib/webhooks/ledger-outbox";
import { formatAmount } from "@/lib/money";
import { topUpCurrencyOrThrow, toMinorUnits } from "./conversion";
import { loadedTopUp, rememberEvent, settlementGroup, type SettlementContext, type SettlementInput } from "./settlement-group";
import type { TopUpReview, TopUpReviewReason } from "./top-up";
import type { StripeEventRef, TopUpRecord } from "./top-up-records";

/**
 * Top-ups held for an operator. Stripe's signature proves an event came from Stripe, not
 * that it is about what we sold: a paid session whose `amount_total` or `currency` is not
 * the top-up's (0.01 EUR "paying" a 20 USD top-up), a refund in another currency or of
 * more than was paid, or a credit the balance ceiling refuses (lib/money/limits.ts) is
 * never applied. The top-up keeps its status (`initiated` when nothing was credited: no
 * new status value for clients to break on), gets a `review` object, and the event is
 * recorded and answered 200 so Stripe stops retrying. While the review is open nothing
 * credits the top-up (creditPaidTopUp checks it inside the batch transaction, so a later
 * correct event cannot race past it), the expiry job and `expired`/`failed` events leave
 * it alone, and only resolveTopUpReview (resolve-top-up-review.ts) closes it.
 */

/** What a check found wrong; the review adds when and which event. */
export interface ReviewFinding {
  reason: TopUpReviewReason;
  detail: string;
}

/** What Stripe says was paid: a Checkout Session's `amount_total` (minor units) and `currency`. */
export interface StripePayment {
  amountTotal: number | null;
  currency: string | null;
}

export function isOpenReview(review: TopUpReview | null): review is TopUpReview {
  return review !== null && review.resolution === undefined;
}

/** An open review, or one an operator rejected: nothing may credit the top-up. */
export function withholdsCredit(review: TopUpReview | null): boolean {
  return review !== null && review.resolution !== "credited";
}

/**
 * A paid session against the stored top-up. Stripe amounts are in the currency's minor
 * units (ISO 4217 exponent: cents, whole yen), exactly as initiateTopUp created the
 * session's line item (toMinorUnits).
 */
export function paymentMismatch(t: Pick<TopUpRecord, "amount" | "currency">, paid: StripePayment): ReviewFinding | null {
  const currency = topUpCurrencyOrThrow(t.currency);
  const paidCurrency = paid.currency?.toUpperCase() ?? null;
  const expected = toMinorUnits(t.amount, currency);
  if (paidCurrency !== currency.code) {
    return {
      reason: "currency_mismatch",
      detail: `Stripe reports a payment of ${paid.amountTotal ?? "no amount"} minor units of ${paidCurrency ?? "no currency"}; the top-up is ${formatAmount(t.amount)} ${currency.code}`,
    };
  }
  if (paid.amountTotal !== expected) {
    return {
      reason: "amount_mismatch",
      detail: `Stripe reports amount_total ${paid.amountTotal ?? "null"} ${currency.code} minor units; the top-up is ${formatAmount(t.amount)} ${currency.code} (${expected})`,
    };
  }
  return null;
}

/** A `charge.refunded` charge against the stored top-up: same currency, not more than was paid. */
export function refundMismatch(
  t: Pick<TopUpRecord, "amount" | "currency">,
  charge: { id: string; currency: string; amount: number; amount_refunded: number },
): ReviewFinding | null {
  const currency = topUpCurrencyOrThrow(t.currency);
  if (charge.currency.toUpperCase() !== currency.code) {
    return {
      reason: "currency_mismatch",
      detail: `charge ${charge.id} refunded ${charge.amount_refunded} minor units of ${charge.currency.toUpperCase()}; the top-up was paid in ${currency.code}`,
    };
  }
  const paid = toMinorUnits(t.amount, currency);
  if (charge.amount_refunded > paid || charge.amount_refunded > charge.amount) {
    return {
      reason: "refund_exceeds_payment",
      detail: `charge ${charge.id} says ${charge.amount_refunded} ${currency.code} minor units were refunded; the top-up paid ${paid} (the charge ${charge.amount})`,
    };
  }
  return null;
}

export type ReviewOutcome = "held_for_review" | "flagged_for_review" | "duplicate_event";

/**
 * Holds the top-up for review (the first open review is kept; a later finding is only
 * logged) and records the event, in the settlement batch. Nothing is credited or
 * reversed. `held_for_review` when nothing was credited, `flagged_for_review` when the
 * top-up was already credited (the finding is kept for the operator, nothing changes).
 */
export async function holdTopUpForReview(
  topUp: Pick<TopUpRecord, "id" | "customerId">,
  finding: ReviewFinding,
  options: { event: StripeEventRef | null; paymentIntentId?: string | null },
): Promise<ReviewOutcome> {
  const outcome = await runInCustomerBatch<ReviewOutcome, SettlementContext, SettlementInput>(topUp.customerId, {
    idempotencyKeys: [],
    group: settlementGroup,
    groupInput: { topUpId: topUp.id, event: options.event },
    apply(wallet, ctx) {
      if (options.event && ctx.seenEvents.has(options.event.id)) return "duplicate_event";
      return holdInBatch(loadedTopUp(ctx, topUp.id), ctx, finding, { ...options, now: wallet.now });
    },
  });
  if (outcome !== "duplicate_event") logReview(topUp.id, finding, options.event);
  return outcome;
}

/** The hold itself, for a job already in the settlement batch (also creditPaidTopUp's). */
export function holdInBatch(
  t: TopUpRecord,
  ctx: SettlementContext,
  finding: ReviewFinding | null,
  options: { event: StripeEventRef | null; paymentIntentId?: string | null; now: Date },
): Exclude<ReviewOutcome, "duplicate_event"> {
  if (finding && !withholdsCredit(t.review)) {
    // A review an operator resolved (credited) stays on the row under the new one.
    const previous = t.review ? { previous: t.review } : {};
    t.review = { ...finding, flagged_at: options.now.toISOString(), stripe_event_id: options.event?.id ?? null, ...previous };
  }
  t.paymentIntentId ??= options.paymentIntentId ?? null;
  ctx.changed.add(t.id);
  rememberEvent(ctx, options.event);
  return t.grantId ? "flagged_for_review" : "held_for_review";
}

/** The log line an operator (or an alert on `[top-ups] review`) finds a held top-up by. */
export function logReview(topUpId: string, finding: ReviewFinding | null, event: StripeEventRef | null): void {
  const source = event ? `Stripe event ${event.id} (${event.type})` : "Stripe's API";
  if (finding) console.error(`[top-ups] review: top-up ${topUpId} held (${finding.reason}) on ${source}: ${finding.detail}`);
  else console.warn(`[top-ups] review: top-up ${topUpId} has an open review; ${source} credited nothing`);
}
