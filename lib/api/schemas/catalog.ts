import { z } from "zod";
import type { PriceInput } from "@/lib/catalog/types";
import { pricedAssetViolations, priceNameViolations, usagePriceViolations, withBothRates, type PriceRuleViolation } from "@/lib/catalog/validate-prices";
import { isFiat, STORED_SCALE } from "@/lib/money";
import { defineOperations } from "../contract";
import { listSchema, paginationQuery } from "../pagination";
import { assetCodeSchema, idSchema, nameSchema, nonNegativeAmountSchema, notSupportedYet, positiveAmountSchema } from "./common";
import { usageEventSchema } from "./events";

/** Credyt's product entitlements (credit granted on subscribe), which Drawdown does not take yet. */
const entitlementsField = notSupportedYet("entitlements (credit granted with a subscription); grant credit with an adjustment instead");

/**
 * Catalog requests: assets, products and their versioned prices, with PRODUCT.md's names.
 * The POST /products example of PRODUCT.md validates verbatim. Unknown fields are refused
 * (a typo like `volume_rates` must not silently make a price free). The prices' rules
 * live in lib/catalog/validate-prices.ts and are reported from here as the request is
 * parsed; asset existence is checked by lib/catalog (422); the shape is checked here.
 */

// ------------------------------------------------------------------ assets

const rateSchema = z.strictObject({
  source: assetCodeSchema.refine(isFiat, "Must be a fiat currency code (USD, EUR, …)"),
  rate: positiveAmountSchema.meta({ description: "Price of one unit in `source`: 0.05 means 1 USD buys 20 units", example: 0.05 }),
});

export const createAssetBody = z
  .strictObject({
    code: assetCodeSchema.meta({ example: "TOK" }),
    name: nameSchema.meta({ example: "Tokens" }),
    precision: z.number().int().min(0).max(STORED_SCALE).meta({ description: "Decimal places a request may send and the portal shows (storage keeps 12)", example: 0 }),
    symbol: z.string().trim().min(1).max(10).optional(),
    label: z.string().trim().min(1).max(50).optional().meta({ description: "Unit label shown after amounts", example: "tokens" }),
    rates: z
      .array(rateSchema)
      .max(20)
      .superRefine((rates, ctx) => {
        const seen = new Set<string>();
        rates.forEach((r, i) => {
          if (seen.has(r.source)) ctx.addIssue({ code: "custom", path: [i, "source"], message: `Duplicate rate for ${r.source}` });
          seen.add(r.source);
        });
      })
      .optional(),
  })
  .meta({ id: "CreateAsset" });

export const assetCodeParams = z.object({ code: assetCodeSchema });

/**
 * A quote converts between a payment in a fiat `source` currency and units of the asset:
 * send `amount` (what is paid, e.g. 10 USD) to learn the units it credits, or `units` (what
 * is wanted) to learn the smallest payable amount that buys at least that many.
 */
export const quoteAssetBody = z
  .preprocess(
    // `currency` (the top-up body's word for it) is accepted as an alias of `source`.
    (v) => {
      if (!v || typeof v !== "object" || Array.isArray(v) || !("currency" in v) || "source" in v) return v;
      const { currency, ...rest } = v as Record<string, unknown>;
      return { ...rest, source: currency };
    },
    z.strictObject({
    source: assetCodeSchema.meta({ description: "Fiat currency paid (alias: currency)", example: "USD" }),
    amount: positiveAmountSchema.optional().meta({ description: "Amount paid in `source`", example: 10 }),
    units: positiveAmountSchema.optional().meta({ description: "Units of the asset wanted" }),
  })
  .refine((q) => (q.amount === undefined) !== (q.units === undefined), { message: "Give exactly one of amount or units", path: ["amount"] }),
  )
  .meta({ id: "QuoteAsset" });

const amountJson = z.union([z.number(), z.string()]);

export const assetSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    precision: z.number().int(),
    symbol: z.string().nullable(),
    label: z.string().nullable(),
    rates: z.array(z.object({ source: z.string(), rate: amountJson })),
    is_fiat: z.boolean(),
    created_at: z.string().nullable(),
  })
  .meta({ id: "Asset" });

export const assetQuoteSchema = z
  .object({ asset: z.string(), source: z.string(), rate: amountJson, amount: amountJson, units: amountJson })
  .meta({ id: "AssetQuote" });

// ------------------------------------------------------------------ prices

const dimensionValue = z.union([z.string().min(1).max(200), z.number(), z.boolean()]).transform(String);

const rowAmounts = {
  unit_price: nonNegativeAmountSchema.optional().meta({ description: "Charged per event (unit, unit_and_volume)" }),
  volume_rate: nonNegativeAmountSchema.optional().meta({ description: "Charged per package_size of volume (volume, unit_and_volume)", example: 1.25 }),
  package_size: positiveAmountSchema.optional().meta({ description: "Volume per volume_rate; default 1", example: 1000000 }),
};
const rowName = nameSchema.optional().meta({ description: "A label for this row (stored and answered; not used for pricing)" });

/**
 * A pricing row. Two spellings of the same row are accepted and stored as one canonical,
 * flat row `{ name?, dimensions?, unit_price?, volume_rate?, package_size? }`:
 * - flat, as PRODUCT.md writes it: `{ "dimensions": {…}, "volume_rate": 1.25 }`;
 * - Credyt's nested dimensional form, `{ "name"?, "dimensions": {…}, "values": [ { "name"?,
 *   "unit_price" | "volume_rate", "package_size"? } ] }`, with `name` on the row or on
 *   the inner value. A row prices one thing, so `values` holds exactly one entry.
 */
const priceValueSchema = z
  .strictObject({
    name: rowName,
    dimensions: z
      .record(z.string().min(1).max(200), dimensionValue)
      .optional()
      .meta({ description: 'Dimension → exact value, or "*" (any value). A row without dimensions matches every event.', example: { model: "gpt-4-1" } }),
    ...rowAmounts,
    values: z
      .array(z.strictObject({ name: rowName, ...rowAmounts }))
      .length(1, "A dimension row takes exactly one value: { unit_price | volume_rate, package_size? }")
      .optional()
      .meta({ description: "Credyt's nested form: the row's amounts in a one-element array instead of on the row" }),
  })
  .superRefine((row, ctx) => {
    const inner = row.values?.[0];
    if (!inner) return;
    for (const key of ["unit_price", "volume_rate", "package_size"] as const) {
      if (row[key] !== undefined) {
        ctx.addIssue({ code: "custom", path: [key], message: "Give the amounts either on the row or inside values, not both" });
      }
    }
    if (row.name !== undefined && inner.name !== undefined && row.name !== inner.name) {
      ctx.addIssue({ code: "custom", path: ["values", 0, "name"], message: "The row and its value name it differently; give one name" });
    }
  })
  .transform(({ values, ...row }) => {
    const inner = values?.[0];
    return inner ? { ...row, ...inner, name: row.name ?? inner.name } : row;
  });

const pricingEntrySchema = z.strictObject({ asset: assetCodeSchema, values: z.array(priceValueSchema).min(1).max(200) });

const usageCalculationSchema = z.strictObject({
  event_type: z.string().min(1).max(200),
  usage_type: z.enum(["unit", "volume", "unit_and_volume"]),
  volume_field: z.string().min(1).max(200).optional().meta({ description: "data field holding the volume (volume, unit_and_volume)" }),
  billable_dimensions: z.array(z.string().min(1).max(200)).max(20).optional().meta({ description: "data fields prices may vary by" }),
  source_reference_field: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .meta({ description: "data field naming the object an event is about (Credyt's field; stored and answered with the price)", example: "video_id" }),
});

const usagePriceSchema = z
  .strictObject({
    name: nameSchema,
    type: z.literal("usage_based"),
    billing_model: z.strictObject({ type: z.literal("real_time") }).default({ type: "real_time" }),
    usage_calculation: usageCalculationSchema,
    pricing: z.array(pricingEntrySchema).min(1).max(20),
  })
  .superRefine((price, ctx) => reportViolations(usagePriceViolations(price), ctx))
  .transform(withBothRates);

const intervalSchema = z.enum(["day", "week", "month", "year"]);

/**
 * Recurring amount per interval; stored and shown, never charged by usage events. Two
 * spellings, stored as one canonical `{ interval, pricing: [{ asset, amount }] }`:
 * Drawdown's, and Credyt's `billing_model: { type: "recurring", recurring: { interval } }`
 * with `pricing: [{ asset, values: [{ unit_price }] }]`.
 */
const fixedPriceSchema = z
  .strictObject({
    name: nameSchema,
    type: z.literal("fixed"),
    billing_model: z
      .strictObject({ type: z.literal("recurring"), recurring: z.strictObject({ interval: intervalSchema }).optional() })
      .default({ type: "recurring" }),
    interval: intervalSchema.optional().meta({ description: "Or billing_model.recurring.interval" }),
    pricing: z
      .array(
        z.strictObject({
          asset: assetCodeSchema,
          amount: nonNegativeAmountSchema.optional().meta({ description: "Or values: [{ unit_price }]" }),
          values: z
            .array(z.strictObject({ unit_price: nonNegativeAmountSchema }))
            .length(1, "A fixed price takes exactly one value: { unit_price }")
            .optional(),
        }),
      )
      .min(1)
      .max(20),
  })
  .superRefine((price, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
    const nested = price.billing_model.recurring?.interval;
    if (price.interval === undefined && nested === undefined) issue(["interval"], "Required (or billing_model.recurring.interval)");
    if (price.interval !== undefined && nested !== undefined && price.interval !== nested) {
      issue(["interval"], "Differs from billing_model.recurring.interval; give one");
    }
    price.pricing.forEach((entry, i) => {
      if ((entry.amount === undefined) === (entry.values === undefined)) {
        issue(["pricing", i, "amount"], "Give exactly one of amount or values: [{ unit_price }]");
      }
    });
    reportViolations(pricedAssetViolations(price.pricing), ctx);
  })
  .transform(({ billing_model, interval, pricing, ...price }) => ({
    ...price,
    billing_model: { type: billing_model.type },
    // Present: the refinement above refused a price without them.
    interval: (interval ?? billing_model.recurring?.interval)!,
    pricing: pricing.map((entry) => ({ asset: entry.asset, amount: (entry.amount ?? entry.values?.[0]?.unit_price)! })),
  }));

export const pricesSchema = z
  .array(z.discriminatedUnion("type", [usagePriceSchema, fixedPriceSchema]))
  .min(1)
  .max(50)
  .superRefine((prices, ctx) => reportViolations(priceNameViolations(prices), ctx));

/** The domain's price rules (lib/catalog/validate-prices.ts) as this schema's issues, at the same paths. */
function reportViolations(violations: readonly PriceRuleViolation[], ctx: z.RefinementCtx): void {
  for (const { path, message } of violations) ctx.addIssue({ code: "custom", path, message });
}

// The validated prices are exactly what lib/catalog stores.
type Assert<T extends true> = T;
export type _PricesMatchDomain = Assert<z.output<typeof pricesSchema> extends PriceInput[] ? true : false>;

// ------------------------------------------------------------------ products

const productCodeSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, "1-100 letters, digits, _ . or -, starting with a letter or digit")
  .meta({ example: "chat" });

export const createProductBody = z
  .strictObject({
    name: nameSchema.meta({ example: "Chat" }),
    code: productCodeSchema,
    publish: z.boolean().optional().meta({ description: "Publish version 1 (it becomes the default); otherwise a draft" }),
    prices: pricesSchema,
    entitlements: entitlementsField,
  })
  .meta({ id: "CreateProduct" });

/** Credyt's `make_default` is accepted for `is_default`; sending both, they must agree. */
function checkMakeDefault(body: { is_default?: boolean; make_default?: boolean }, ctx: z.RefinementCtx): void {
  if (body.make_default !== undefined && body.is_default !== undefined && body.make_default !== body.is_default) {
    ctx.addIssue({ code: "custom", path: ["make_default"], message: "Differs from is_default; give one" });
  }
}

export const createProductVersionBody = z
  .strictObject({
    name: nameSchema.optional().meta({ description: "Renames the product (its name is shared by all versions), as Credyt's version body sends it" }),
    prices: pricesSchema,
    publish: z.boolean().optional().meta({ description: "Publish the new version at once" }),
    is_default: z.boolean().optional().meta({ description: "Make it the default (needs publish)" }),
    make_default: z.boolean().optional().meta({ description: "Credyt's name for is_default" }),
    entitlements: entitlementsField,
  })
  .superRefine(checkMakeDefault)
  .transform(({ make_default: makeDefault, ...body }) => ({ ...body, is_default: body.is_default ?? makeDefault }))
  .meta({ id: "CreateProductVersion" });

export const updateProductVersionBody = z
  .preprocess(
    // Accepted spellings: `status: "published"` for `publish: true`, `default: true` and
    // Credyt's `make_default: true` for `is_default: true`.
    (v) => {
      if (!v || typeof v !== "object" || Array.isArray(v)) return v;
      const { status, default: makeDefault, ...rest } = v as Record<string, unknown>;
      return {
        ...rest,
        ...(status === "published" && rest.publish === undefined ? { publish: true } : status !== undefined ? { status } : {}),
        ...(makeDefault !== undefined && rest.is_default === undefined ? { is_default: makeDefault } : {}),
      };
    },
    z
      .strictObject({
        publish: z.literal(true, { error: "Only true: a published version is never unpublished" }).optional(),
        is_default: z.literal(true, { error: "Only true: make another version the default instead" }).optional(),
        make_default: z.literal(true, { error: "Only true: make another version the default instead" }).optional(),
      })
      .refine((b) => b.publish || b.is_default || b.make_default, { message: "Send publish: true and/or is_default: true", path: ["publish"] })
      .transform(({ make_default: makeDefault, ...body }) => ({ ...body, is_default: body.is_default ?? makeDefault })),
  )
  .meta({ id: "UpdateProductVersion" });

/** The events of `POST /events` (all their fields are accepted); only event_type and data price them. */
/** Up to 1,000 events, like POST /events. */
export const SIMULATE_MAX_BODY_BYTES = 5 * 1024 * 1024;

export const simulateUsageBody = z
  .strictObject({
    events: z
      .array(
        usageEventSchema
          .partial({ id: true, occurred_at: true })
          .extend({ data: z.record(z.string().max(200), z.unknown()).default({}) }),
      )
      .min(1)
      .max(1000),
  })
  .meta({ id: "SimulateUsage" });

export const productParams = z.object({ id: idSchema("prp") });
/** A version number, or `default`: the product's default version (Credyt's alias). */
export const productVersionParams = z.object({
  id: idSchema("prp"),
  version: z.union([z.literal("default"), z.string().regex(/^[1-9]\d{0,8}$/).transform(Number)]),
});

export const listCatalogQuery = paginationQuery;

/** `GET /products?code=`: Credyt's lookup of a product by its code (a list of 0 or 1). */
export const listProductsQuery = paginationQuery.extend({
  code: z.string().min(1).max(100).optional().meta({ description: "Only the product with this code" }),
});

const priceJson = z.record(z.string(), z.unknown()).meta({ description: "A price as sent (amounts as numbers, or strings when a number would not be exact)" });

const versionFields = {
  version: z.number().int(),
  status: z.enum(["draft", "published"]),
  is_default: z.boolean(),
  prices: z.array(priceJson),
  created_at: z.string(),
  published_at: z.string().nullable(),
};

export const productVersionSchema = z
  .object({ id: z.string(), code: z.string(), name: z.string(), default_version: z.number().int().nullable(), ...versionFields })
  .meta({ id: "ProductVersion" });

export const productSummarySchema = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    default_version: z.number().int().nullable(),
    latest_version: z.number().int(),
    created_at: z.string(),
  })
  .meta({ id: "ProductSummary" });

export const productSchema = productSummarySchema.extend({ versions: z.array(z.object(versionFields)) }).meta({ id: "Product" });

export const simulateUsageResponse = z
  .object({
    results: z.array(
      z.object({
        event_type: z.string(),
        status: z.enum(["billed", "unbilled"]),
        reason: z.enum(["no_matching_price", "no_matching_dimensions", "missing_volume_field", "invalid_volume"]).optional(),
        detail: z.string().optional(),
        fees: z.array(z.object({ amount: z.number(), asset: z.string(), product_id: z.string(), product_version: z.number().int(), price_name: z.string() })),
      }),
    ),
  })
  .meta({ id: "SimulatedUsage" });

export const catalogOperations = defineOperations({
  createAsset: { method: "post", path: "/assets", tag: "Catalog", summary: "Create a custom asset (TOK, CREDIT) with its fiat rates", body: createAssetBody, response: assetSchema, status: 201, errors: [409] },
  listAssets: { method: "get", path: "/assets", tag: "Catalog", summary: "List custom assets (fiat currencies are built in)", query: listCatalogQuery, response: listSchema(assetSchema).meta({ id: "AssetList" }) },
  getAsset: { method: "get", path: "/assets/{code}", params: assetCodeParams, tag: "Catalog", summary: "Get an asset (a custom one or a built-in fiat currency)", response: assetSchema },
  quoteAsset: { method: "post", path: "/assets/{code}/quote", params: assetCodeParams, tag: "Catalog", summary: "Convert a fiat amount into units of the asset, or units into the amount to pay", body: quoteAssetBody, response: assetQuoteSchema },
  createProduct: { method: "post", path: "/products", tag: "Catalog", summary: "Create a product with its version 1 of prices", body: createProductBody, response: productVersionSchema, status: 201, errors: [409] },
  listProducts: { method: "get", path: "/products", tag: "Catalog", summary: "List products (filter by code)", query: listProductsQuery, response: listSchema(productSummarySchema).meta({ id: "ProductList" }) },
  getProduct: { method: "get", path: "/products/{id}", params: productParams, tag: "Catalog", summary: "Get a product with all its versions", response: productSchema },
  createProductVersion: { method: "post", path: "/products/{id}", params: productParams, tag: "Catalog", summary: "Add a version with new prices", body: createProductVersionBody, response: productVersionSchema, status: 201 },
  updateProductVersion: { method: "patch", path: "/products/{id}/{version}", params: productVersionParams, tag: "Catalog", summary: "Publish a version and/or make it the default", body: updateProductVersionBody, response: productVersionSchema, errors: [409] },
  simulateUsage: { method: "post", path: "/products/{id}/{version}/simulate-usage", params: productVersionParams, maxBodyBytes: SIMULATE_MAX_BODY_BYTES, tag: "Catalog", summary: "Fees these events would incur on this version; charges nothing", body: simulateUsageBody, response: simulateUsageResponse },
});
