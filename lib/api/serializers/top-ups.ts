import type { z } from "zod";
import { amountToJson } from "@/lib/money";
import type { TopUp, TopUpReview } from "@/lib/top-ups/top-up";
import type { topUpReviewSchema, topUpSchema } from "../schemas/top-ups";

type TopUpJson = z.input<typeof topUpSchema>;

function reviewToJson(review: TopUpReview): z.input<typeof topUpReviewSchema> {
  const { previous, ...rest } = review;
  return { ...rest, ...(previous ? { previous: { ...previous } } : {}) };
}

/** A top-up as the API answers it (snake_case; money as JSON numbers, as everywhere in the API). */
export function topUpToJson(topUp: TopUp): TopUpJson {
  return {
    id: topUp.id,
    status: topUp.status,
    customer_id: topUp.customerId,
    amount: amountToJson(topUp.amount),
    currency: topUp.currency,
    description: topUp.description,
    destination: { account_name: topUp.accountName, asset: topUp.asset, exchange_rate: amountToJson(topUp.exchangeRate) },
    credit_amount: amountToJson(topUp.creditAmount),
    credit_expires_at: topUp.creditExpiresAt?.toISOString() ?? null,
    return_url: topUp.returnUrl,
    failure_url: topUp.failureUrl,
    metadata: topUp.metadata,
    grant_id: topUp.grantId,
    refunded_amount: amountToJson(topUp.refundedAmount),
    review: topUp.review ? reviewToJson(topUp.review) : null,
    automatic: topUp.automatic,
    created_at: topUp.createdAt.toISOString(),
    expires_at: topUp.expiresAt.toISOString(),
    updated_at: topUp.updatedAt.toISOString(),
  };
}
