import { z } from "zod";
import { defineOperations } from "../contract";
import { listSchema, paginationQuery } from "../pagination";
import { amountSchema, assetCodeSchema, descriptionSchema, idSchema, isoDateTimeSchema, metadataSchema, nonNegativeAmountSchema } from "./common";
import { adjustmentReasons } from "@/lib/wallet/create-adjustment";

/** Account names: letters, digits, `_ . -` (so `{name}:{ASSET}` ids stay unambiguous). */
export const accountNameSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/, "Letters, digits, _ . - only");

/** The seed's adjustment body, verbatim. */
export const adjustmentBody = z
  .strictObject({
    transaction_id: z.string().min(1).max(200).meta({ description: "Your id for this adjustment: the idempotency key", example: "3fa85f64-5717-4562-b3fc-2c963f66afa6" }),
    account_name: accountNameSchema.default("default"),
    asset: assetCodeSchema,
    amount: amountSchema.meta({
      description:
        "Positive credits, negative debits; at most 10^15 either way (422 `amount_too_large`), and a credit must leave the balance at most 10^15 (422 `balance_limit_exceeded`)",
      example: 25,
    }),
    description: descriptionSchema.nullish(),
    reason: z.enum(adjustmentReasons),
    expires_at: isoDateTimeSchema.nullish(),
    purpose: z.enum(["promotion", "bundled", "paid"]).optional(),
    metadata: metadataSchema.optional(),
  })
  .meta({ id: "Adjustment" });

export const adjustmentResponse = z.object({ id: z.string(), created_at: z.string() }).meta({ id: "AdjustmentCreated" });

export const walletParams = z.object({ id: idSchema("cust") });
export const accountParams = z.object({
  id: idSchema("cust"),
  account_id: z.string().regex(/^[A-Za-z0-9_.-]{1,64}:[A-Z][A-Z0-9_]{1,15}$/, "Must look like default:USD"),
});

export const updateAccountBody = z
  .strictObject({
    overdraft_limit: nonNegativeAmountSchema
      .nullable()
      .optional()
      .meta({
        description: "How far the balance may go below 0; at most 10^15 (422 `amount_too_large`); null: follow the platform's default (GET /accounts/self)",
        example: 10,
      }),
    low_balance_threshold: nonNegativeAmountSchema.nullable().optional().meta({
      description: "Send `wallet.balance_low` when a change takes the balance from at or above this to below it; null turns it off",
      example: 5,
    }),
  })
  .superRefine((body, ctx) => {
    if (body.overdraft_limit === undefined && body.low_balance_threshold === undefined) {
      ctx.addIssue({ code: "custom", path: ["overdraft_limit"], message: "Send overdraft_limit, low_balance_threshold or both" });
    }
  })
  .meta({ id: "UpdateAccount" });

export const walletSchema = z
  .object({ accounts: z.array(z.object({ id: z.string(), name: z.string(), asset: z.string(), available: z.number() })) })
  .meta({ id: "Wallet" });

export const accountSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    asset: z.string(),
    available: z.number(),
    pending_in: z.number(),
    pending_out: z.number(),
    overdraft_limit: z.number(),
    low_balance_threshold: z.number().nullable(),
    created_at: z.string(),
  })
  .meta({ id: "Account" });

export const walletListQuery = paginationQuery;

export const creditGrantSchema = z
  .object({
    id: z.string(),
    account_id: z.string(),
    purpose: z.enum(["paid", "promotion", "bundled"]),
    amount: z.number(),
    remaining: z.number(),
    effective_at: z.string(),
    expires_at: z.string().nullable(),
    status: z.string().meta({ description: "live, expired, …" }),
    source: z.record(z.string(), z.unknown()).nullable().meta({ description: "What made the grant, e.g. { reason, adjustment_id } or { top_up_id }" }),
    created_at: z.string(),
  })
  .meta({ id: "CreditGrant" });

export const ledgerTransactionSchema = z
  .object({
    id: z.string(),
    kind: z.string().meta({ description: "credit, charge, expire, reverse" }),
    description: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()).nullable().meta({ description: "The request's metadata with the ledger's own keys (reason, adjustment_id, …)" }),
    entries: z.array(
      z.object({
        account_id: z.string(),
        asset: z.string(),
        amount: z.number(),
        kind: z.string(),
        grant_id: z.string().nullable(),
        rate: z.number().nullable(),
      }),
    ),
    created_at: z.string(),
  })
  .meta({ id: "LedgerTransaction" });

export const walletOperations = defineOperations({
  getWallet: { method: "get", path: "/customers/{id}/wallet", params: walletParams, tag: "Wallets", summary: "The customer's accounts and balances", response: walletSchema },
  getWalletAccount: { method: "get", path: "/customers/{id}/wallet/{account_id}", params: accountParams, tag: "Wallets", summary: "One account (e.g. default:USD) with pending amounts", response: accountSchema },
  updateWalletAccount: { method: "patch", path: "/customers/{id}/wallet/{account_id}", params: accountParams, tag: "Wallets", summary: "Set the account's overdraft limit and low-balance threshold", body: updateAccountBody, response: accountSchema },
  createAdjustment: { method: "post", path: "/customers/{id}/wallet/adjustments", params: walletParams, tag: "Wallets", summary: "Report an external credit or debit (idempotent by transaction_id)", body: adjustmentBody, response: adjustmentResponse, status: 201, errors: [409] },
  listCreditGrants: { method: "get", path: "/customers/{id}/wallet/credit-grants", params: walletParams, tag: "Wallets", summary: "Credit grants, newest first", query: walletListQuery, response: listSchema(creditGrantSchema).meta({ id: "CreditGrantList" }) },
  listWalletTransactions: { method: "get", path: "/customers/{id}/wallet/transactions", params: walletParams, tag: "Wallets", summary: "Ledger transactions with entries, newest first", query: walletListQuery, response: listSchema(ledgerTransactionSchema).meta({ id: "LedgerTransactionList" }) },
});
