import { z } from "zod";
import { defineOperations } from "../contract";
import { accountParams } from "./wallet";

export const savedCardSchema = z
  .object({
    id: z.string().meta({ description: "Stripe's PaymentMethod id", example: "pm_1Qx…" }),
    brand: z.string().meta({ example: "visa" }),
    last4: z.string().meta({ example: "4242" }),
    exp_month: z.number().int(),
    exp_year: z.number().int(),
  })
  .meta({ id: "SavedCard" });

export const autoTopUpAttemptSchema = z
  .object({
    id: z.string().meta({ example: "atu_9k2…" }),
    status: z.enum(["pending", "processing", "succeeded", "failed", "capped", "skipped"]),
    amount: z.number(),
    currency: z.string(),
    credit_amount: z.number().nullable(),
    top_up_id: z.string().nullable().meta({ description: "The automatic top-up it paid through (GET /top-ups/{id})" }),
    failure_code: z.string().nullable().meta({
      description: "Stripe's decline code (`generic_decline`, `insufficient_funds`) or error code (`authentication_required`), or `monthly_cap_reached`",
    }),
    failure_message: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: "AutoTopUpAttempt" });

export const autoTopUpSchema = z
  .object({
    account_id: z.string().meta({ example: "default:USD" }),
    configured: z.boolean().meta({ description: "False until the cardholder first saved settings in the portal (the other fields are then null)" }),
    enabled: z.boolean(),
    threshold: z.number().nullable().meta({ description: "Auto top-up fires when a change takes the available balance below this (in the account's asset)" }),
    amount: z.number().nullable().meta({ description: "What one auto top-up pays, in `currency`" }),
    currency: z.string().nullable(),
    monthly_cap: z.number().nullable().meta({ description: "Most that auto top-ups pay in one calendar month (UTC), in `currency`" }),
    spent_this_month: z.number().meta({ description: "What succeeded auto top-ups paid this calendar month (UTC)" }),
    card: savedCardSchema.nullable().meta({ description: "The card it pays with, while saved on the customer" }),
    consecutive_failures: z.number().int(),
    disabled_reason: z.enum(["platform", "failures", "card_removed"]).nullable().meta({
      description: "Why it was switched off: `platform` (DELETE), `failures` (3 failed attempts in a row), `card_removed`",
    }),
    last_auto_top_up: autoTopUpAttemptSchema.nullable(),
    updated_at: z.string().nullable(),
  })
  .meta({ id: "AutoTopUp" });

export const autoTopUpOperations = defineOperations({
  getAutoTopUp: {
    method: "get",
    path: "/customers/{id}/wallet/{account_id}/auto-top-up",
    params: accountParams,
    tag: "Wallets",
    summary: "The account's auto top-up: settings, card, this month's spend, the latest attempt",
    description:
      "Only the cardholder enables auto top-up and sets it up, in the billing portal. Each auto top-up is also a top-up (`automatic: true`) in `GET /top-ups`.",
    response: autoTopUpSchema,
  },
  disableAutoTopUp: {
    method: "delete",
    path: "/customers/{id}/wallet/{account_id}/auto-top-up",
    params: accountParams,
    tag: "Wallets",
    summary: "Switch the account's auto top-up off",
    description:
      "Keeps the settings (`disabled_reason: platform`) so the cardholder can switch it back on in the portal. Idempotent. An attempt already in flight finishes.",
    response: autoTopUpSchema,
  },
});
