import type { TopUp } from "@/lib/generated/prisma/client";
import { amountToJson } from "@/lib/money";

export type TopUpStatus = "initiated" | "succeeded" | "failed" | "expired";

/**
 * Why a top-up is held for an operator (docs/api-notes/top-ups.md "Review"):
 * - amount_mismatch / currency_mismatch: Stripe's paid session (`amount_total`, `currency`)
 *   or a refund's charge currency disagrees with the stored top-up;
 * - refund_exceeds_payment: a refund says more was refunded than the top-up's payment;
 * - balance_limit: the credit would take the balance above the largest balance.
 */
export type TopUpReviewReason = "amount_mismatch" | "currency_mismatch" | "refund_exceeds_payment" | "balance_limit";

/** Stored in `top_ups.review` and answered as is. */
export interface TopUpReview {
  reason: TopUpReviewReason;
  detail: string;
  flagged_at: string;
  /** The Stripe event that caused it (null when Stripe's API was read instead). */
  stripe_event_id: string | null;
  /** What the operator decided (resolveTopUpReview); absent while the review is open. */
  resolution?: "credited" | "rejected";
  resolved_at?: string;
  /** The resolved review a later finding replaced, kept so no operator decision is lost. */
  previous?: TopUpReview;
}

export interface TopUpJson {
  id: string;
  status: TopUpStatus;
  customer_id: string;
  amount: number;
  currency: string;
  description: string | null;
  destination: { account_name: string; asset: string; exchange_rate: number };
  /** What a successful payment credits (or credited), in the destination asset. */
  credit_amount: number;
  credit_expires_at: string | null;
  return_url: string | null;
  failure_url: string | null;
  metadata: Record<string, unknown>;
  /** The paid credit grant, once the payment succeeded. */
  grant_id: string | null;
  /** Refunded so far, in `currency` (Stripe refunds; the credit is taken back in proportion). */
  refunded_amount: number;
  /** Null unless the top-up was held for an operator; an open review credits nothing. */
  review: TopUpReview | null;
  created_at: string;
  expires_at: string;
  updated_at: string;
}

/** A top-up as the API answers it (snake_case; money as JSON numbers, as in the seed). */
export function topUpToJson(topUp: TopUp): TopUpJson {
  return {
    id: topUp.id,
    status: topUp.status as TopUpStatus,
    customer_id: topUp.customerId,
    amount: amountToJson(topUp.amount.toFixed()),
    currency: topUp.currency,
    description: topUp.description,
    destination: { account_name: topUp.accountName, asset: topUp.asset, exchange_rate: amountToJson(topUp.exchangeRate.toFixed()) },
    credit_amount: amountToJson(topUp.creditAmount.toFixed()),
    credit_expires_at: topUp.creditExpiresAt?.toISOString() ?? null,
    return_url: topUp.returnUrl,
    failure_url: topUp.failureUrl,
    metadata: (topUp.metadata ?? {}) as Record<string, unknown>,
    grant_id: topUp.grantId,
    refunded_amount: amountToJson(topUp.refundedAmount.toFixed()),
    review: (topUp.review ?? null) as TopUpReview | null,
    created_at: topUp.createdAt.toISOString(),
    expires_at: topUp.expiresAt.toISOString(),
    updated_at: topUp.updatedAt.toISOString(),
  };
}
