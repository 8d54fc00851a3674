import { testCardByNumber, testCardByToken, passesLuhn } from "./cards";
import { invalidParam, missingParam, StripeApiError } from "./errors";
import {
  assertKnownParams,
  optionalInteger,
  optionalList,
  optionalMetadata,
  optionalObject,
  optionalString,
  requiredInteger,
  requiredString,
  type Param,
  type Params,
} from "./form";
import type { RefundObject } from "./objects";
import type { CardInput, CreateCustomerInput, CreatePaymentIntentInput, CreateRefundInput, CreateSessionInput, LineItemInput, UpdateCustomerInput } from "./factories";

/**
 * Request parameters of the supported endpoints, checked the way Stripe checks them
 * (missing, malformed and unknown parameters answer 400 with the offending `param`).
 * Parameters Stripe accepts that only change the look of the hosted page are accepted
 * and ignored; anything else unsupported is refused loudly rather than silently dropped.
 */

const sessionParams = [
  "mode", "line_items", "success_url", "cancel_url", "metadata", "expires_at", "customer",
  "customer_email", "client_reference_id", "payment_intent_data", "customer_creation",
  "payment_method_types", "ui_mode", "expand", "currency", "setup_intent_data", "allowed_payment_method_types",
] as const;
const cosmeticSessionParams = [
  "locale", "submit_type", "billing_address_collection", "allow_promotion_codes", "custom_text",
  "phone_number_collection", "payment_method_options", "automatic_tax", "tax_id_collection",
] as const;

export function parseCreateSession(params: Params): CreateSessionInput {
  assertKnownParams(params, [...sessionParams, ...cosmeticSessionParams]);
  const mode = requiredString(params, "mode");
  if (mode !== "payment" && mode !== "setup") throw invalidParam("mode", `The Stripe emulator supports mode=payment and mode=setup only (got "${mode}").`);
  const uiMode = optionalString(params, "ui_mode");
  if (uiMode !== undefined && uiMode !== "hosted") throw invalidParam("ui_mode", "The Stripe emulator supports ui_mode=hosted only.");
  if (mode === "setup") return parseSetupSession(params);
  if (params.setup_intent_data !== undefined) throw invalidParam("setup_intent_data", "You can only pass `setup_intent_data` in `setup` mode.");
  if (params.currency !== undefined) throw invalidParam("currency", "The Stripe emulator takes a payment-mode session's currency from its line items (`price_data[currency]`).");
  if (params.allowed_payment_method_types !== undefined) throw invalidParam("allowed_payment_method_types", "The Stripe emulator takes `allowed_payment_method_types` in setup mode only (payment mode: `payment_method_types`).");
  const rawItems = optionalList(params, "line_items");
  if (!rawItems || rawItems.length === 0) throw missingParam("line_items");

  const customerCreation = optionalString(params, "customer_creation");
  if (customerCreation !== undefined && customerCreation !== "always" && customerCreation !== "if_required") {
    throw invalidParam("customer_creation", `Invalid customer_creation: must be one of always, if_required`);
  }
  const paymentIntentData = optionalObject(params, "payment_intent_data") ?? {};
  assertKnownParams(paymentIntentData, ["metadata", "description", "statement_descriptor", "receipt_email", "setup_future_usage"], "payment_intent_data");
  const setupFutureUsage = optionalSetupFutureUsage(paymentIntentData, "payment_intent_data[setup_future_usage]");

  return {
    mode: "payment",
    setupFutureUsage,
    setupIntentMetadata: {},
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

/**
 * `mode=setup`: a session that saves a card (no line items, no payment). As with Stripe,
 * `currency` is required unless the payment method types are given
 * (`allowed_payment_method_types`, or the older `payment_method_types`); `setup_intent_data`
 * goes to the SetupIntent made when the card is saved.
 */
function parseSetupSession(params: Params): CreateSessionInput {
  for (const refused of ["line_items", "payment_intent_data", "customer_creation"]) {
    if (params[refused] !== undefined) throw invalidParam(refused, `You can not pass \`${refused}\` in \`setup\` mode.`);
  }
  const currency = optionalString(params, "currency")?.toLowerCase();
  if (currency !== undefined && !/^[a-z]{3}$/.test(currency)) throw invalidParam("currency", `Invalid currency: ${currency}`);
  const paymentMethodTypes = stringList(params, "allowed_payment_method_types") ?? stringList(params, "payment_method_types");
  if (currency === undefined && !paymentMethodTypes) throw missingParam("currency");
  const setupIntentData = optionalObject(params, "setup_intent_data") ?? {};
  assertKnownParams(setupIntentData, ["metadata", "description"], "setup_intent_data");
  return {
    mode: "setup",
    lineItems: [],
    currency,
    successUrl: optionalUrl(params, "success_url"),
    cancelUrl: optionalUrl(params, "cancel_url"),
    metadata: optionalMetadata(params, "metadata"),
    expiresAt: optionalInteger(params, "expires_at"),
    customer: optionalString(params, "customer"),
    customerEmail: optionalString(params, "customer_email"),
    clientReferenceId: optionalString(params, "client_reference_id"),
    paymentMethodTypes,
    paymentIntentMetadata: {},
    setupIntentMetadata: optionalMetadata(setupIntentData, "metadata", "setup_intent_data[metadata]"),
    setupIntentDescription: optionalString(setupIntentData, "description", "setup_intent_data[description]"),
  };
}

function stringList(params: Params, key: string): string[] | undefined {
  return optionalList(params, key)?.map((item, i) => {
    if (typeof item !== "string") throw invalidParam(`${key}[${i}]`, `Invalid string: ${key}[${i}]`);
    return item;
  });
}

function optionalSetupFutureUsage(params: Params, path: string): "off_session" | "on_session" | undefined {
  const value = optionalString(params, "setup_future_usage", path);
  if (value !== undefined && value !== "off_session" && value !== "on_session") {
    throw invalidParam(path, `Invalid setup_future_usage: must be one of off_session, on_session`);
  }
  return value;
}

function optionalBoolean(params: Params, key: string, path = key): boolean | undefined {
  const value = optionalString(params, key, path);
  if (value === undefined) return undefined;
  if (value === "true") return true;
  if (value === "false") return false;
  throw invalidParam(path, `Invalid boolean: ${value}`);
}

const paymentIntentParams = [
  "amount", "currency", "customer", "payment_method", "confirm", "off_session", "metadata", "description",
  "receipt_email", "setup_future_usage", "payment_method_types", "expand", "automatic_payment_methods",
  "statement_descriptor", "statement_descriptor_suffix", "error_on_requires_action", "return_url", "use_stripe_sdk",
] as const;

/**
 * `POST /v1/payment_intents`. `off_session` is `true`/`false` or Stripe's older
 * `one_off`/`recurring` (both mean true); it needs `confirm=true`, as with Stripe.
 */
export function parseCreatePaymentIntent(params: Params): CreatePaymentIntentInput {
  assertKnownParams(params, paymentIntentParams);
  const currency = requiredString(params, "currency").toLowerCase();
  if (!/^[a-z]{3}$/.test(currency)) throw invalidParam("currency", `Invalid currency: ${currency}`);
  const automatic = optionalObject(params, "automatic_payment_methods");
  if (automatic) assertKnownParams(automatic, ["enabled", "allow_redirects"], "automatic_payment_methods");
  return {
    amount: requiredInteger(params, "amount"),
    currency,
    customer: optionalString(params, "customer"),
    paymentMethod: optionalString(params, "payment_method"),
    confirm: optionalBoolean(params, "confirm") ?? false,
    offSession: parseOffSession(params),
    metadata: optionalMetadata(params, "metadata"),
    description: optionalString(params, "description"),
    receiptEmail: optionalString(params, "receipt_email"),
    setupFutureUsage: optionalSetupFutureUsage(params, "setup_future_usage"),
    paymentMethodTypes: stringList(params, "payment_method_types"),
  };
}

export function parseConfirmPaymentIntent(params: Params): { paymentMethod?: string; offSession: boolean } {
  assertKnownParams(params, ["payment_method", "off_session", "expand", "return_url", "error_on_requires_action", "use_stripe_sdk"]);
  return { paymentMethod: optionalString(params, "payment_method"), offSession: parseOffSession(params) };
}

function parseOffSession(params: Params): boolean {
  const value = optionalString(params, "off_session");
  if (value === undefined || value === "false") return false;
  if (value === "true" || value === "one_off" || value === "recurring") return true;
  throw invalidParam("off_session", `Invalid off_session: must be a boolean or one of one_off, recurring`);
}

/**
 * A card as `POST /v1/payment_methods` takes it: `card[token]=tok_visa` (Stripe's test
 * tokens), or `card[number]`, `card[exp_month]`, `card[exp_year]`, `card[cvc]` with a test
 * card number (Stripe accepts raw numbers only from accounts allowed to send them).
 */
export function parseCreatePaymentMethod(params: Params): CardInput {
  assertKnownParams(params, ["type", "card", "billing_details", "metadata", "expand"]);
  const type = requiredString(params, "type");
  if (type !== "card") throw invalidParam("type", `The Stripe emulator supports type=card only (got "${type}").`);
  const card = optionalObject(params, "card");
  if (!card) throw missingParam("card");
  assertKnownParams(card, ["token", "number", "exp_month", "exp_year", "cvc"], "card");
  const token = optionalString(card, "token", "card[token]");
  if (token !== undefined) {
    const found = testCardByToken(token);
    if (!found) throw invalidParam("card[token]", `No such token: '${token}'`, "resource_missing");
    return { card: found, expMonth: 12, expYear: new Date().getUTCFullYear() + 5, cvcChecked: true };
  }
  return cardFromFields({
    number: requiredString(card, "number", "card[number]"),
    expMonth: requiredInteger(card, "exp_month", "card[exp_month]"),
    expYear: requiredInteger(card, "exp_year", "card[exp_year]"),
    cvc: optionalString(card, "cvc", "card[cvc]"),
  });
}

/**
 * Checks a typed card the way Stripe's card form and API do (number, expiry, CVC) and finds
 * its test card. Errors are `card_error`s with Stripe's codes and wording; in test mode a
 * real (Luhn-valid) card number is refused.
 */
export function cardFromFields(fields: { number: string; expMonth: number; expYear: number; cvc?: string }, now = new Date()): CardInput {
  const digits = fields.number.replace(/[\s-]/g, "");
  const invalid = (message: string, code: string, param: string) => new StripeApiError(402, "card_error", message, param, code);
  if (!passesLuhn(digits)) throw invalid("Your card number is invalid.", "invalid_number", "number");
  const card = testCardByNumber(digits);
  if (!card) throw invalid("Your card was declined. Your request was in test mode, but used a non test card. For a list of valid test cards, visit: https://stripe.com/docs/testing.", "card_declined", "number");
  if (!Number.isInteger(fields.expMonth) || fields.expMonth < 1 || fields.expMonth > 12) throw invalid("Your card's expiration month is invalid.", "invalid_expiry_month", "exp_month");
  const year = fields.expYear < 100 ? 2000 + fields.expYear : fields.expYear;
  const thisYear = now.getUTCFullYear();
  if (year < thisYear || (year === thisYear && fields.expMonth < now.getUTCMonth() + 1)) {
    throw invalid("Your card's expiration date is in the past.", "invalid_expiry_year", "exp_year");
  }
  if (year > thisYear + 50) throw invalid("Your card's expiration year is invalid.", "invalid_expiry_year", "exp_year");
  const cvcLength = card.brand === "amex" ? 4 : 3;
  if (fields.cvc !== undefined && !new RegExp(`^\\d{${cvcLength}}$`).test(fields.cvc)) {
    throw invalid("Your card's security code is incomplete.", "incomplete_cvc", "cvc");
  }
  return { card, expMonth: fields.expMonth, expYear: year, cvcChecked: fields.cvc !== undefined };
}

/**
 * `POST /v1/customers/:id`: `invoice_settings[default_payment_method]` must be one of the
 * customer's cards; an empty value unsets it (as do empty `email`, `name`, …, and
 * `metadata=""`, which clears all metadata).
 */
export function parseUpdateCustomer(params: Params): UpdateCustomerInput {
  assertKnownParams(params, ["email", "name", "phone", "description", "metadata", "invoice_settings", "expand"]);
  const cleared = (key: string): string | null | undefined => (params[key] === "" ? null : optionalString(params, key));
  const invoiceSettings = optionalObject(params, "invoice_settings");
  if (invoiceSettings) assertKnownParams(invoiceSettings, ["default_payment_method"], "invoice_settings");
  const rawDefault: Param | undefined = invoiceSettings?.default_payment_method;
  return {
    email: cleared("email"),
    name: cleared("name"),
    phone: cleared("phone"),
    description: cleared("description"),
    metadata: params.metadata === undefined ? undefined : params.metadata === "" ? null : metadataChanges(params),
    defaultPaymentMethod:
      rawDefault === undefined
        ? undefined
        : rawDefault === ""
          ? null
          : optionalString(invoiceSettings ?? {}, "default_payment_method", "invoice_settings[default_payment_method]"),
  };
}

/** Metadata for an update: checked like any metadata, and an empty value deletes its key. */
function metadataChanges(params: Params): Record<string, string> {
  optionalMetadata(params, "metadata");
  const raw = optionalObject(params, "metadata") ?? {};
  return Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, typeof value === "string" ? value : ""]));
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

export function parseAttachPaymentMethod(params: Params): string {
  assertKnownParams(params, ["customer", "expand"]);
  return requiredString(params, "customer");
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
