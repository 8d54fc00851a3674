import { z } from "zod";
import { defineOperations } from "../contract";
import { listSchema, paginationQuery } from "../pagination";
import { fiatCurrencies, MAX_AMOUNT } from "@/lib/money";
import { descriptionSchema, externalIdSchema, idSchema, isoDateTimeSchema, metadataSchema, nonNegativeAmountSchema } from "./common";

export const MAX_EVENTS_PER_REQUEST = 1000;
/** 1,000 events with a few KB of data each. */
export const EVENTS_MAX_BODY_BYTES = 5 * 1024 * 1024;
const MAX_DATA_BYTES = 16 * 1024;
export const MAX_COSTS_PER_EVENT = 20;

/** An ISO 4217 currency code Drawdown knows (lib/money's fiat currencies). */
export const currencyCodeSchema = z
  .string()
  .refine((c) => fiatCurrencies.has(c), "Must be an ISO 4217 currency code in upper case, e.g. USD")
  .meta({ description: "ISO 4217 currency code", example: "USD" });

/**
 * What serving the event cost the platform at a vendor: recorded with the event (also when
 * it is unbilled or refused), summed into the stats, never debited from the customer.
 */
export const eventCostSchema = z
  .strictObject({
    vendor_id: idSchema("vnd").optional().meta({ description: "The vendor (or give vendor_external_id)" }),
    vendor_external_id: externalIdSchema.optional().meta({ description: "The vendor's external_id, instead of vendor_id" }),
    amount: nonNegativeAmountSchema.refine((a) => a.lte(MAX_AMOUNT), `Must be at most ${MAX_AMOUNT.toFixed()}`),
    currency: currencyCodeSchema,
    description: descriptionSchema.nullish(),
    dimensions: metadataSchema.nullish().meta({ description: "Flat key-value pairs describing the cost (model, region…)", example: { model: "gpt-4o" } }),
  })
  .superRefine((cost, ctx) => {
    if ((cost.vendor_id === undefined) === (cost.vendor_external_id === undefined)) {
      const both = cost.vendor_id !== undefined;
      ctx.addIssue({
        code: "custom",
        path: [both ? "vendor_external_id" : "vendor_id"],
        message: both ? "Give vendor_id or vendor_external_id, not both" : "vendor_id (or vendor_external_id) is required",
      });
    }
  })
  .meta({ id: "UsageEventCostInput" });

export const usageEventSchema = z.strictObject({
  id: z.string().min(1).max(200).meta({ description: "Your event id: the idempotency key", example: "3fa85f64-5717-4562-b3fc-2c963f66afa6" }),
  event_type: z.string().min(1).max(200),
  occurred_at: isoDateTimeSchema,
  hold_id: idSchema("hold").optional().meta({ description: "A hold of this customer: the fees are taken from it first (it stays open), then from the balance within overdraft" }),
  subject: z.string().max(500).nullish(),
  description: descriptionSchema.nullish(),
  data: z
    .record(z.string().max(200), z.unknown())
    .refine((d) => JSON.stringify(d).length <= MAX_DATA_BYTES, `data must be at most ${MAX_DATA_BYTES} bytes of JSON`)
    .optional(),
  costs: z
    .array(eventCostSchema)
    .max(MAX_COSTS_PER_EVENT, `At most ${MAX_COSTS_PER_EVENT} costs per event`)
    .optional()
    .meta({ description: "Vendor costs of the event: stored with it, never charged to the customer" }),
});

/**
 * The customer is named by `customer_id`, or by the platform's own id as
 * `customer_external_id` (exactly one of the two).
 */
export const sendEventsBody = z
  .strictObject({
    customer_id: idSchema("cust").optional().meta({ description: "The customer (or give customer_external_id)" }),
    customer_external_id: externalIdSchema.optional().meta({ description: "The customer's external_id, instead of customer_id" }),
    events: z.array(usageEventSchema).min(1).max(MAX_EVENTS_PER_REQUEST, `At most ${MAX_EVENTS_PER_REQUEST} events per request`),
  })
  .superRefine((body, ctx) => {
    if ((body.customer_id === undefined) === (body.customer_external_id === undefined)) {
      const both = body.customer_id !== undefined;
      ctx.addIssue({
        code: "custom",
        path: [both ? "customer_external_id" : "customer_id"],
        message: both ? "Give customer_id or customer_external_id, not both" : "customer_id (or customer_external_id) is required",
      });
    }
  })
  .meta({ id: "SendUsageEvents" });

const feeSchema = z.object({
  amount: z.number(),
  asset: z.string(),
  account_id: z.string(),
  product_id: z.string(),
  product_version: z.number(),
  price_name: z.string(),
  balance_after: z.number().optional(),
});

export const sendEventsResponse = z
  .object({
    results: z.array(
      z.object({
        id: z.string(),
        status: z.enum(["billed", "unbilled", "duplicate", "refused"]),
        reason: z.string().optional(),
        detail: z.string().optional().meta({ description: "Why, in words, for unbilled and refused events" }),
        fees: z.array(feeSchema),
      }),
    ),
  })
  .meta({ id: "UsageEventResults" });

export const listEventsQuery = paginationQuery.extend({
  customer_id: idSchema("cust").optional(),
  status: z.enum(["billed", "unbilled", "refused"]).optional(),
  event_type: z.string().max(200).optional(),
  source_reference: z.string().min(1).max(200).optional().meta({ description: "Events whose source reference (the price's source_reference_field in data) is this" }),
  hold_id: idSchema("hold").optional().meta({ description: "Events sent against this hold (with its hold_id, or captured with it); a hold of another platform is a 404" }),
});

export const usageEventRecordSchema = z
  .object({
    id: z.string(),
    customer_id: z.string(),
    event_type: z.string(),
    occurred_at: z.string(),
    subject: z.string().nullable(),
    description: z.string().nullable(),
    data: z.record(z.string(), z.unknown()).meta({ description: "The event's data as sent" }),
    status: z.enum(["billed", "unbilled", "refused"]),
    reason: z.string().nullable(),
    fees: z.array(feeSchema.omit({ balance_after: true })),
    source_reference: z.string().nullable().meta({ description: "The value of the price's source_reference_field in data; null when none" }),
    costs: z
      .array(
        z.object({
          vendor_id: z.string(),
          amount: z.number(),
          currency: z.string(),
          description: z.string().nullable(),
          dimensions: z.record(z.string(), z.unknown()).nullable(),
        }),
      )
      .meta({ description: "The vendor costs sent with the event (empty when none)" }),
    hold_id: z.string().nullable().meta({ description: "The hold the event was sent against (its hold_id, or the hold a capture closed); null when none" }),
    created_at: z.string(),
  })
  .meta({ id: "UsageEvent" });

export const eventParams = z.object({ id: z.string().min(1).max(200) });
export const getEventQuery = z.object({ customer_id: idSchema("cust").optional() });

export const eventOperations = defineOperations({
  sendUsageEvents: { method: "post", path: "/events", maxBodyBytes: EVENTS_MAX_BODY_BYTES, tag: "Usage events", summary: `Send up to ${MAX_EVENTS_PER_REQUEST} usage events; each is priced and charged in real time`, body: sendEventsBody, response: sendEventsResponse, errors: [413] },
  listUsageEvents: { method: "get", path: "/events", tag: "Usage events", summary: "Usage events with their fees, newest first", query: listEventsQuery, response: listSchema(usageEventRecordSchema).meta({ id: "UsageEventList" }) },
  getUsageEvent: { method: "get", path: "/events/{id}", params: eventParams, tag: "Usage events", summary: "One usage event with its fees", query: getEventQuery, response: usageEventRecordSchema },
});
