import { z } from "zod";
import { defineOperations } from "../contract";
import { productParams } from "./catalog";
import { currencyCodeSchema } from "./events";
import { customerIdParams } from "./customers";
import { vendorIdParams } from "./vendors";

const dayText = z.iso.date({ error: "Must be a date, YYYY-MM-DD (a UTC day)" });

export const statsQuery = z.object({
  from: dayText.optional().meta({ description: "First UTC day of the period, included (default: the first day of this month)", example: "2026-11-01" }),
  to: dayText.optional().meta({ description: "Last UTC day of the period, included (default: the last day of this month); at most 366 days after from", example: "2026-11-30" }),
  interval: z.enum(["day", "week", "month"]).optional().meta({ description: "Also answer a series with one entry per day, ISO week (from Monday) or calendar month that has data" }),
  currency: currencyCodeSchema.optional().meta({ description: "A reporting currency: adds `reporting`, the revenue converted through the assets' rates and the margin against the costs in that currency", example: "USD" }),
});

const amounts = <K extends string>(key: K) => z.array(z.object({ [key]: z.string(), amount: z.number() } as Record<K, z.ZodString> & { amount: z.ZodNumber }));

const figures = {
  revenue: amounts("asset").meta({ description: "What billed events charged, per asset" }),
  costs: amounts("currency").meta({ description: "Vendor costs of the events (billed, unbilled and refused), per currency" }),
  margins: z
    .array(
      z.object({
        currency: z.string(),
        revenue: z.number(),
        cost: z.number(),
        margin: z.number().meta({ description: "revenue − cost" }),
        margin_percent: z.number().nullable().meta({ description: "margin / revenue × 100, 4 decimal places (half-even); null without revenue" }),
      }),
    )
    .meta({ description: "Per ISO currency found among the revenue assets or the costs: revenue and cost in the same currency" }),
  events: z.object({ billed: z.number().int(), unbilled: z.number().int(), refused: z.number().int(), total: z.number().int() }),
  reporting: z
    .object({
      currency: z.string(),
      revenue: z.number().meta({ description: "Σ revenue × the asset's rate for the currency (a fiat asset equal to it at 1)" }),
      cost: z.number().meta({ description: "The costs in the currency" }),
      margin: z.number(),
      margin_percent: z.number().nullable(),
      unconverted: z.array(z.string()).meta({ description: "Revenue assets without a rate for the currency, left out of revenue" }),
    })
    .optional()
    .meta({ description: "With ?currency=: the figures in that reporting currency" }),
};

export const statsSchema = z
  .object({
    id: z.string().nullable().meta({ description: "The customer's, product's or vendor's id; null for the platform" }),
    from: z.string(),
    to: z.string(),
    interval: z.enum(["day", "week", "month"]).nullable(),
    ...figures,
    top_ups: z
      .array(z.object({ currency: z.string(), amount: z.number(), count: z.number().int() }))
      .optional()
      .meta({ description: "Succeeded top-ups started in the period, per payment currency (customer and platform stats)" }),
    series: z
      .array(z.object({ start: z.string().meta({ description: "First day of the bucket" }), ...figures }))
      .optional()
      .meta({ description: "With interval: the figures per bucket, oldest first" }),
  })
  .meta({ id: "Stats" });

const tag = "Stats";

export const statsOperations = defineOperations({
  getPlatformStats: { method: "get", path: "/stats", tag, summary: "Revenue, costs and margin of all customers for a period", query: statsQuery, response: statsSchema },
  getCustomerStats: { method: "get", path: "/customers/{id}/stats", params: customerIdParams, tag, summary: "A customer's revenue, costs and margin for a period", query: statsQuery, response: statsSchema },
  getProductStats: { method: "get", path: "/products/{id}/stats", params: productParams, tag, summary: "Revenue, costs and margin of the events a product priced", query: statsQuery, response: statsSchema },
  getVendorStats: { method: "get", path: "/vendors/{id}/stats", params: vendorIdParams, tag, summary: "A vendor's costs, and the revenue of the events that carried them", query: statsQuery, response: statsSchema },
});
