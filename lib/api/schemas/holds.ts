import { z } from "zod";
import { defineOperations } from "../contract";
import { listSchema, paginationQuery } from "../pagination";
import { assetCodeSchema, idSchema, isoDateTimeSchema, metadataSchema, positiveAmountSchema } from "./common";
import { MAX_EVENTS_PER_REQUEST, usageEventSchema } from "./events";
import { accountNameSchema, walletParams } from "./wallet";

/** A hold lives 15 minutes unless told otherwise, at least a minute, and never past 24 h from creation. */
export const HOLD_DEFAULT_TTL_SECONDS = 900;
export const HOLD_MIN_TTL_SECONDS = 60;
export const HOLD_MAX_TTL_SECONDS = 86_400;

const MAX_DATA_BYTES = 16 * 1024;

const ttlSecondsSchema = z
  .number()
  .int("Must be a whole number of seconds")
  .min(HOLD_MIN_TTL_SECONDS, `Must be at least ${HOLD_MIN_TTL_SECONDS}`)
  .max(HOLD_MAX_TTL_SECONDS, `Must be at most ${HOLD_MAX_TTL_SECONDS} (24 h)`)
  .meta({ description: `Seconds from now until the hold expires, ${HOLD_MIN_TTL_SECONDS}..${HOLD_MAX_TTL_SECONDS}`, example: 900 });

export const holdEstimateSchema = z
  .strictObject({
    event_type: z.string().min(1).max(200),
    data: z
      .record(z.string().max(200), z.unknown())
      .refine((d) => JSON.stringify(d).length <= MAX_DATA_BYTES, `data must be at most ${MAX_DATA_BYTES} bytes of JSON`)
      .optional(),
  })
  .meta({
    id: "HoldEstimate",
    description: "A usage event the hold covers, priced by the customer's subscribed prices exactly as POST /events would (e.g. data.max_tokens); a multi-asset price holds in each asset",
  });

export const createHoldBody = z
  .strictObject({
    id: z.string().min(1).max(200).meta({ description: "Your id for this hold: the idempotency key (answered as `reference`)", example: "render-8812" }),
    account_name: accountNameSchema.default("default"),
    amount: positiveAmountSchema.optional().meta({ description: "A fixed amount to hold, with asset (or give estimate)", example: 4 }),
    asset: assetCodeSchema.optional(),
    estimate: holdEstimateSchema.optional(),
    ttl_seconds: ttlSecondsSchema.optional(),
    expires_at: isoDateTimeSchema.optional().meta({ description: "When the hold expires (instead of ttl_seconds): 60 s to 24 h from now" }),
    subject: z.string().max(500).nullish(),
    metadata: metadataSchema.optional(),
  })
  .superRefine((body, ctx) => {
    const fixed = body.amount !== undefined || body.asset !== undefined;
    if (fixed && body.estimate !== undefined) {
      ctx.addIssue({ code: "custom", path: ["estimate"], message: "Give amount and asset, or estimate, not both" });
    } else if (!fixed && body.estimate === undefined) {
      ctx.addIssue({ code: "custom", path: ["amount"], message: "Give amount and asset, or estimate" });
    } else if (fixed && body.amount === undefined) {
      ctx.addIssue({ code: "custom", path: ["amount"], message: "amount is required with asset" });
    } else if (fixed && body.asset === undefined) {
      ctx.addIssue({ code: "custom", path: ["asset"], message: "asset is required with amount" });
    }
    if (body.ttl_seconds !== undefined && body.expires_at !== undefined) {
      ctx.addIssue({ code: "custom", path: ["expires_at"], message: "Give ttl_seconds or expires_at, not both" });
    }
  })
  .meta({ id: "CreateHold" });

export const holdStatuses = ["held", "captured", "released", "expired"] as const;

export const holdSchema = z
  .object({
    id: z.string().meta({ description: "hold_ id" }),
    reference: z.string().meta({ description: "Your id from the create request" }),
    customer_id: z.string(),
    status: z.enum(holdStatuses).meta({ description: "held (open), captured (closed by capture), released, expired (past expires_at: released)" }),
    amounts: z.array(
      z.object({
        account_id: z.string(),
        asset: z.string(),
        amount: z.number().meta({ description: "What was held" }),
        captured: z.number().meta({ description: "What fees took from the hold so far" }),
        released: z.number().meta({ description: "What went back to available when the hold closed" }),
      }),
    ),
    expires_at: z.string(),
    subject: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()).nullable(),
    created_at: z.string(),
    closed_at: z.string().nullable().meta({ description: "When it was captured, released or expired" }),
  })
  .meta({ id: "Hold" });

export const holdParams = z.object({ id: idSchema("cust"), hold_id: idSchema("hold") });

export const listHoldsQuery = paginationQuery.extend({
  status: z.enum(holdStatuses).optional().meta({ description: "Only holds in this status (an expired hold counts as expired even before the expiry job ran)" }),
});

export const captureHoldBody = z
  .strictObject({
    events: z.array(usageEventSchema).max(MAX_EVENTS_PER_REQUEST, `At most ${MAX_EVENTS_PER_REQUEST} events per request`).default([]).meta({
      description: "Usage events as in POST /events: priced, charged from the hold first, then from the balance within overdraft. Empty: capture nothing and release it all",
    }),
  })
  .meta({ id: "CaptureHold" });

export const captureHoldResponse = z
  .object({
    hold: holdSchema,
    results: z.array(
      z.object({
        id: z.string(),
        status: z.enum(["billed", "unbilled", "duplicate", "refused"]),
        reason: z.string().optional(),
        detail: z.string().optional(),
        fees: z.array(z.object({ amount: z.number(), asset: z.string(), account_id: z.string(), product_id: z.string(), product_version: z.number(), price_name: z.string(), balance_after: z.number().optional() })),
      }),
    ),
  })
  .meta({ id: "HoldCapture" });

export const extendHoldBody = z
  .strictObject({
    ttl_seconds: ttlSecondsSchema.optional(),
    expires_at: isoDateTimeSchema.optional().meta({ description: "The new expiry (instead of ttl_seconds); at most 24 h after the hold was created" }),
  })
  .superRefine((body, ctx) => {
    if ((body.ttl_seconds === undefined) === (body.expires_at === undefined)) {
      ctx.addIssue({ code: "custom", path: ["ttl_seconds"], message: "Give ttl_seconds or expires_at (one of them)" });
    }
  })
  .meta({ id: "ExtendHold" });

export const holdOperations = defineOperations({
  createHold: {
    method: "post",
    path: "/customers/{id}/wallet/holds",
    params: walletParams,
    tag: "Holds",
    summary: "Reserve funds before work runs (idempotent by id: a repeat with the same body answers the same hold, 201 again; another body 409)",
    body: createHoldBody,
    response: holdSchema,
    status: 201,
    errors: [402, 409],
  },
  listHolds: { method: "get", path: "/customers/{id}/wallet/holds", params: walletParams, tag: "Holds", summary: "Holds, newest first", query: listHoldsQuery, response: listSchema(holdSchema).meta({ id: "HoldList" }) },
  getHold: { method: "get", path: "/customers/{id}/wallet/holds/{hold_id}", params: holdParams, tag: "Holds", summary: "One hold", response: holdSchema },
  captureHold: {
    method: "post",
    path: "/customers/{id}/wallet/holds/{hold_id}/capture",
    params: holdParams,
    tag: "Holds",
    summary: "Charge usage events from the hold, close it and release the rest",
    body: captureHoldBody,
    response: captureHoldResponse,
    errors: [409],
  },
  extendHold: { method: "post", path: "/customers/{id}/wallet/holds/{hold_id}/extend", params: holdParams, tag: "Holds", summary: "Move the expiry (at most 24 h after creation)", body: extendHoldBody, response: holdSchema, errors: [409] },
  releaseHold: { method: "post", path: "/customers/{id}/wallet/holds/{hold_id}/release", params: holdParams, tag: "Holds", summary: "Close the hold and give its funds back", response: holdSchema, errors: [409] },
});
