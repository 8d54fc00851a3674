import { invalidParam, missingParam } from "./errors";
import {
  assertKnownParams,
  optionalInteger,
  optionalList,
  optionalMetadata,
  optionalObject,
  optionalString,
  requiredInteger,
  requiredString,
  type Params,
} from "./form";
import type { RefundObject } from "./objects";
import type { CreateCustomerInput, CreateRefundInput, CreateSessionInput, LineItemInput } from "./factories";

/**
 * Request parameters of the supported endpoints, checked the way Stripe checks them
 * (missing, malformed and unknown parameters answer 400 with the offending `param`).
 * Parameters Stripe accepts that only change the look of the hosted page are accepted
 * and ignored; anything else unsupported is refused loudly rather than silently dropped.
 */

const sessionParams = [
  "mode", "line_items", "success_url", "cancel_url", "metadata", "expires_at", "customer",
  "customer_email", "client_reference_id", "payment_intent_data", "customer_creation",
  "payment_method_types", "ui_mode", "expand",
] as const;
const cosmeticSessionParams = [
  "locale", "submit_type", "billing_address_collection", "allow_promotion_codes", "custom_text",
  "phone_number_collection", "payment_method_options", "automatic_tax", "tax_id_collection",
] as const;

export function parseCreateSession(params: Params): CreateSessionInput {
  assertKnownParams(params, [...sessionParams, ...cosmeticSessionParams]);
  const mode = requiredString(params, "mode");
  if (mode !== "payment") throw invalidParam("mode", `The Stripe emulator supports mode=payment only (got "${mode}").`);
  const uiMode = optionalString(params, "ui_mode");
  if (uiMode !== undefined && uiMode !== "hosted") throw invalidParam("ui_mode", "The Stripe emulator supports ui_mode=hosted only.");
  const rawItems = optionalList(params, "line_items");
  if (!rawItems || rawItems.length === 0) throw missingParam("line_items");

  const customerCreation = optionalString(params, "customer_creation");
  if (customerCreation !== undefined && customerCreation !== "always" && customerCreation !== "if_required") {
    throw invalidParam("customer_creation", `Invalid customer_creation: must be one of always, if_required`);
  }
  const paymentIntentData = optionalObject(params, "payment_intent_data") ?? {};
  assertKnownParams(paymentIntentData, ["metadata", "description", "statement_descriptor", "receipt_email"], "payment_intent_data");

  return {
    lineItems: rawItems.map((raw, i) => parseLineItem(raw, `line_items[${i}]`)),
    successUrl: optionalUrl(params, "success_url"),
    cancelUrl: optionalUrl(params, "cancel_url"),
    metadata: optionalMetadata(params, "metadata"),
    expiresAt: optionalInteger(params, "expires_at"),
    customer: optionalString(params, "customer"),
    customerEmail: optionalString(params, "customer_email"),
    clientReferenceId: optionalString(params, "client_reference_id"),
    customerCreation,
    paymentMethodTypes: optionalList(params, "payment_method_types")?.map((type, i) => {
      if (typeof type !== "string") throw invalidParam(`payment_method_types[${i}]`, "Invalid payment method type");
      return type;
    }),
    paymentIntentMetadata: optionalMetadata(paymentIntentData, "metadata", "payment_intent_data[metadata]"),
  };
}

function parseLineItem(raw: Params[string], path: string): LineItemInput {
  if (typeof raw !== "object" || Array.isArray(raw)) throw invalidParam(path, `Invalid object: ${path}`);
  assertKnownParams(raw, ["price_data", "quantity", "price"], path);
  if (raw.price !== undefined) {
    throw invalidParam(`${path}[price]`, "The Stripe emulator has no Prices: use line_items[][price_data] instead.", "resource_missing");
  }
  const priceData = optionalObject(raw, "price_data", `${path}[price_data]`);
  if (!priceData) throw missingParam(`${path}[price_data]`);
  const pricePath = `${path}[price_data]`;
  assertKnownParams(priceData, ["currency", "unit_amount", "product_data", "tax_behavior"], pricePath);
  const currency = requiredString(priceData, "currency", `${pricePath}[currency]`).toLowerCase();
  if (!/^[a-z]{3}$/.test(currency)) throw invalidParam(`${pricePath}[currency]`, `Invalid currency: ${currency}`);
  const unitAmount = requiredInteger(priceData, "unit_amount", `${pricePath}[unit_amount]`);
  if (unitAmount < 0) throw invalidParam(`${pricePath}[unit_amount]`, "This value must be greater than or equal to 0.");
  const productData = optionalObject(priceData, "product_data", `${pricePath}[product_data]`);
  if (!productData) throw missingParam(`${pricePath}[product_data]`);
  assertKnownParams(productData, ["name", "description", "images", "metadata"], `${pricePath}[product_data]`);
  const quantity = requiredInteger(raw, "quantity", `${path}[quantity]`);
  if (quantity < 1) throw invalidParam(`${path}[quantity]`, "This value must be greater than or equal to 1.");
  return {
    name: requiredString(productData, "name", `${pricePath}[product_data][name]`),
    currency,
    unitAmount,
    quantity,
  };
}

function optionalUrl(params: Params, key: string): string | undefined {
  const value = optionalString(params, key);
  if (value === undefined) return undefined;
  // `{CHECKOUT_SESSION_ID}` is a template Stripe fills in on redirect, not part of the URL.
  const candidate = value.replaceAll("{CHECKOUT_SESSION_ID}", "cs_placeholder");
  let parsed: URL;
  try {
    parsed = new URL(candidate);
  } catch {
    throw invalidParam(key, "Not a valid URL", "url_invalid");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw invalidParam(key, "Not a valid URL", "url_invalid");
  return value;
}

export function parseCreateCustomer(params: Params): CreateCustomerInput {
  assertKnownParams(params, ["email", "name", "phone", "description", "metadata", "expand"]);
  return {
    email: optionalString(params, "email"),
    name: optionalString(params, "name"),
    phone: optionalString(params, "phone"),
    description: optionalString(params, "description"),
    metadata: optionalMetadata(params, "metadata"),
  };
}

const refundReasons = ["duplicate", "fraudulent", "requested_by_customer"] as const;

export function parseCreateRefund(params: Params): CreateRefundInput {
  assertKnownParams(params, ["payment_intent", "charge", "amount", "reason", "metadata", "expand"]);
  const reason = optionalString(params, "reason");
  if (reason !== undefined && !(refundReasons as readonly string[]).includes(reason)) {
    throw invalidParam("reason", `Invalid reason: must be one of ${refundReasons.join(", ")}`);
  }
  return {
    paymentIntent: optionalString(params, "payment_intent"),
    charge: optionalString(params, "charge"),
    amount: optionalInteger(params, "amount"),
    reason: (reason ?? null) as RefundObject["reason"],
    metadata: optionalMetadata(params, "metadata"),
  };
}

/** `limit` (1–100, default 10) and `starting_after` for list endpoints. */
export function parseListParams(params: Params, filters: readonly string[]): { limit: number; startingAfter?: string } {
  assertKnownParams(params, ["limit", "starting_after", "expand", ...filters]);
  const limit = optionalInteger(params, "limit") ?? 10;
  if (limit < 1 || limit > 100) throw invalidParam("limit", "This value must be between 1 and 100.");
  return { limit, startingAfter: optionalString(params, "starting_after") };
}
