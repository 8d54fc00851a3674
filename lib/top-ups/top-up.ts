import type { TopUp as TopUpRow } from "@/lib/generated/prisma/client";
import { Dec } from "@/lib/money";

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

/**
 * The columns of a top-up that settlement reads and writes, with raw SQL because
 * settlement runs inside the ledger's per-customer batch transaction (a pg client, not
 * Prisma). Every statement is keyed by the top-up id (and customer id where it writes).
 */
export interface TopUpRecord {
  id: string;
  customerId: string;
  status: TopUpStatus;
  amount: Dec;
  currency: string;
  description: string | null;
  accountName: string;
  asset: string;
  exchangeRate: Dec;
  creditAmount: Dec;
  creditExpiresAt: Date | null;
  checkoutSessionId: string | null;
  paymentIntentId: string | null;
  grantId: string | null;
  refundedAmount: Dec;
  /** Set when the top-up is held for an operator (review-top-up.ts). */
  review: TopUpReview | null;
  expiresAt: Date;
}

/** A top-up as the domain hands it out: what settlement reads, plus what the platform set and when. */
export interface TopUp extends TopUpRecord {
  returnUrl: string | null;
  failureUrl: string | null;
  metadata: Record<string, unknown>;
  /** Made by an auto top-up (an off-session payment with a saved card), not Checkout. */
  automatic: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** Prisma's row (Prisma decimals, untyped JSON) as the domain's top-up (exact decimals, typed review). */
export function topUpFromRow(row: TopUpRow): TopUp {
  return {
    id: row.id,
    customerId: row.customerId,
    status: row.status as TopUpStatus,
    amount: new Dec(row.amount.toFixed()),
    currency: row.currency,
    description: row.description,
    accountName: row.accountName,
    asset: row.asset,
    exchangeRate: new Dec(row.exchangeRate.toFixed()),
    creditAmount: new Dec(row.creditAmount.toFixed()),
    creditExpiresAt: row.creditExpiresAt,
    checkoutSessionId: row.checkoutSessionId,
    paymentIntentId: row.paymentIntentId,
    grantId: row.grantId,
    refundedAmount: new Dec(row.refundedAmount.toFixed()),
    review: (row.review ?? null) as TopUpReview | null,
    expiresAt: row.expiresAt,
    returnUrl: row.returnUrl,
    failureUrl: row.failureUrl,
    metadata: (row.metadata ?? {}) as Record<string, unknown>,
    automatic: row.automatic,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
