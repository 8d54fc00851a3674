import { z } from "zod";
import { defineOperations } from "../contract";
import { listSchema, paginationQuery } from "../pagination";
import { assetCodeSchema, descriptionSchema, idSchema, isoDateTimeSchema, metadataSchema, positiveAmountSchema } from "./common";

const urlSchema = z
  .url({ protocol: /^https?$/, error: "Must be an absolute http(s) URL" })
  .max(2000)
  .meta({ description: "Absolute http(s) URL", example: "https://glitch.ai/account" });

/** The seed's top-up body, verbatim (PRODUCT.md "Top-up conversion" for the rate rule). */
export const createTopUpBody = z
  .strictObject({
    customer_id: idSchema("cust"),
    amount: positiveAmountSchema.meta({ description: "What the customer pays, in `currency` (at most its minor units)", example: 50 }),
    currency: z.string().regex(/^[A-Z]{3}$/, "Must be an ISO 4217 code in upper case, e.g. USD").meta({ description: "Payment currency", example: "USD" }),
    description: descriptionSchema.nullish(),
    destination: z
      .strictObject({
        account_name: z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/, "Letters, digits, _ . - only").default("default"),
        asset: assetCodeSchema,
        exchange_rate: positiveAmountSchema.nullish().meta({
          description: "Units of `asset` credited per unit of `currency`; defaults to the asset's stored rate; must be 1 when asset = currency",
          example: 20,
        }),
      })
      .optional()
      .meta({ description: "The account credited when paid; defaults to default:{currency}" }),
    credit_expires_at: isoDateTimeSchema.nullish().meta({ description: "When the credit expires (a past date: the default, one year)" }),
    return_url: urlSchema.nullish().meta({ description: "Where Checkout sends the customer after paying (default: the portal's result page)" }),
    failure_url: urlSchema.nullish().meta({ description: "Where Checkout sends the customer on cancel (default: the portal's result page)" }),
    metadata: metadataSchema.optional(),
  })
  .meta({ id: "CreateTopUp" });

export const topUpParams = z.object({ id: idSchema("top") });

export const listTopUpsQuery = paginationQuery.extend({
  customer_id: idSchema("cust").optional(),
  status: z.enum(["initiated", "succeeded", "failed", "expired"]).optional(),
});

export const topUpReviewSchema = z
  .object({
    reason: z.enum(["amount_mismatch", "currency_mismatch", "refund_exceeds_payment", "balance_limit"]).meta({
      description:
        "Why Stripe's word was not applied: the paid amount or currency is not the top-up's, a refund is in another currency or larger than the payment, or the credit would take the balance above the largest balance",
    }),
    detail: z.string().meta({ description: "What disagreed, for the operator", example: "Stripe reports amount_total 1 EUR minor units; the top-up is 20 USD (2000)" }),
    flagged_at: z.string().meta({ description: "When the top-up was held" }),
    stripe_event_id: z.string().nullable().meta({ description: "The Stripe event that caused it (null: read from Stripe's API)" }),
    resolution: z.enum(["credited", "rejected"]).optional().meta({ description: "The operator's decision; absent while the review is open" }),
    resolved_at: z.string().optional(),
    previous: z
      .record(z.string(), z.unknown())
      .optional()
      .meta({ description: "The resolved review (with its resolution) that a later finding on this top-up replaced" }),
  })
  .meta({
    id: "TopUpReview",
    description:
      "A top-up held for an operator: while the review is open (no `resolution`) nothing credits it, the status stays what it was (`initiated` when nothing was credited) and it does not expire",
  });

export const topUpSchema = z
  .object({
    id: z.string(),
    status: z.enum(["initiated", "succeeded", "failed", "expired"]),
    customer_id: z.string(),
    amount: z.number(),
    currency: z.string(),
    description: z.string().nullable(),
    destination: z.object({ account_name: z.string(), asset: z.string(), exchange_rate: z.number() }),
    credit_amount: z.number().meta({ description: "Credited (or to be credited) in the destination asset" }),
    credit_expires_at: z.string().nullable(),
    return_url: z.string().nullable(),
    failure_url: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()),
    grant_id: z.string().nullable().meta({ description: "The paid credit grant, once succeeded" }),
    refunded_amount: z.number().meta({ description: "Refunded at Stripe so far, in `currency`" }),
    review: topUpReviewSchema.nullable().meta({ description: "Null unless the top-up was held for review (docs/api-notes/top-ups.md)" }),
    automatic: z.boolean().meta({ description: "True for an auto top-up: an off-session payment with the customer's saved card (docs/api-notes/auto-top-ups.md)" }),
    created_at: z.string(),
    expires_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: "TopUp" });

export const topUpCreatedSchema = topUpSchema
  .extend({
    redirect_url: z.string().meta({
      description: "Single-use link (valid until expires_at) that signs the customer in and continues to Stripe Checkout",
      example: "https://billing.example.com/api/sign-in?token=xyz",
    }),
  })
  .meta({ id: "TopUpCreated" });

export const topUpOperations = defineOperations({
  createTopUp: {
    method: "post",
    path: "/top-ups",
    tag: "Top-ups",
    summary: "Start a Stripe Checkout top-up",
    description:
      "Credits `amount × exchange_rate` of the destination asset once paid (a same-asset destination credits `amount`; a rate other than 1 there is a 422). Expires unpaid after one hour. A payment or credit above the largest amount (10^15) is a 422 `amount_too_large`; a credit that would take the destination's balance above the largest balance (10^15) is a 422 `balance_limit_exceeded`.",
    body: createTopUpBody,
    response: topUpCreatedSchema,
    status: 201,
    errors: [404],
  },
  listTopUps: { method: "get", path: "/top-ups", tag: "Top-ups", summary: "List top-ups, newest first (filter by customer_id, status)", query: listTopUpsQuery, response: listSchema(topUpSchema).meta({ id: "TopUpList" }) },
  getTopUp: { method: "get", path: "/top-ups/{id}", params: topUpParams, tag: "Top-ups", summary: "Get a top-up: status, credited amount, grant", response: topUpSchema },
});
