import { z } from "zod";
import { defineOperations } from "../contract";
import { amountSchema, idSchema, positiveAmountSchema } from "./common";

/**
 * A URL the portal will link or redirect to. Only http(s): a `javascript:` URL as a
 * return link would run in the portal's origin.
 */
export const platformUrlSchema = z
  .url({ protocol: /^https?$/, error: "Must be an http(s) URL" })
  .max(2048)
  .meta({ description: "An http(s) URL of your site", example: "https://glitch.ai/account" });

export const createBillingPortalSessionBody = z
  .strictObject({
    customer_id: idSchema("cust"),
    return_url: platformUrlSchema.optional().meta({ description: "Where the portal's back link goes", example: "https://glitch.ai/account" }),
    failure_url: platformUrlSchema
      .optional()
      .meta({ description: "Where an expired or used link goes instead of an explanatory page", example: "https://glitch.ai/callbacks/portal-failure" }),
  })
  .meta({ id: "CreateBillingPortalSession" });

export const billingPortalSessionSchema = z
  .object({
    redirect_url: z.string().meta({ description: "Single-use sign-in link; send the customer's browser there", example: "https://billing.example.com/api/sign-in?token=xyz" }),
    expires_at: z.string().meta({ description: "When the link stops working (10 minutes)", example: "2025-01-31T12:10:00.000Z" }),
  })
  .meta({ id: "BillingPortalSession" });

export const portalOperations = defineOperations({
  createBillingPortalSession: {
    method: "post",
    path: "/billing-portal/sessions",
    tag: "Billing portal",
    summary: "Open a billing portal session",
    description:
      "A single-use link, valid 10 minutes, that signs the customer into the billing portal. An expired or used link goes to failure_url, or to a page that explains what happened. Another platform's customer answers 404.",
    body: createBillingPortalSessionBody,
    response: billingPortalSessionSchema,
    status: 201,
    errors: [404],
  },
});

// ---------------------------------------------------------------- portal session routes
// app/api/portal/**: JSON for the portal's own pages (session cookie, not an API key);
// not part of the public API document.

export const accountIdSchema = z.string().min(3).max(200).regex(/^[^:]+:[A-Z][A-Z0-9_]{1,15}$/, "Must be an account id like default:USD");

export const portalTopUpBody = z.strictObject({
  account_id: accountIdSchema,
  amount: positiveAmountSchema,
  /** "Save this card for auto top-up": Checkout saves the paying card on the customer. */
  save_card: z.boolean().optional(),
});

/** A saved card's Stripe PaymentMethod id. */
export const portalCardParams = z.object({ id: z.string().regex(/^pm_[A-Za-z0-9_]{1,200}$/, "Must be a pm_ id") });

export const portalQuoteQuery = z.object({ account_id: accountIdSchema, amount: positiveAmountSchema });

export const portalTopUpParams = z.object({ id: idSchema("top") });

/** An account's auto top-up form; the amounts' rules are lib/auto-top-ups' (one 422 with every field error). */
export const portalAutoTopUpBody = z.strictObject({
  enabled: z.boolean(),
  threshold: amountSchema,
  amount: amountSchema,
  monthly_cap: amountSchema,
  payment_method_id: z.string().max(255).nullish(),
});

export const portalAutoTopUpParams = z.object({ account_id: accountIdSchema });
