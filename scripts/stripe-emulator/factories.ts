import {
  stripeId,
  type ChargeObject,
  type CustomerObject,
  type LineItemObject,
  type Metadata,
  type PaymentIntentObject,
  type PaymentMethodObject,
  type RefundObject,
  type SessionObject,
  type SetupIntentObject,
} from "./objects";
import { cardFingerprint, type TestCard } from "./cards";

/**
 * What creates each object (the parsed request, or the session being paid) and the new
 * object as Stripe would first return it. Pure: the rules about when objects are created
 * and how they change live in state.ts.
 */

export interface LineItemInput {
  name: string;
  currency: string;
  unitAmount: number;
  quantity: number;
}

export interface CreateSessionInput {
  mode: "payment" | "setup";
  /** Empty in setup mode. */
  lineItems: LineItemInput[];
  /** Setup mode only (payment mode takes it from the line items). */
  currency?: string;
  successUrl?: string;
  cancelUrl?: string;
  metadata: Metadata;
  expiresAt?: number;
  customer?: string;
  customerEmail?: string;
  clientReferenceId?: string;
  customerCreation?: "always" | "if_required";
  paymentMethodTypes?: string[];
  paymentIntentMetadata: Metadata;
  /** `payment_intent_data[setup_future_usage]`: the paying card is saved to the customer. */
  setupFutureUsage?: "off_session" | "on_session";
  /** `setup_intent_data[metadata]`, `setup_intent_data[description]` (setup mode). */
  setupIntentMetadata: Metadata;
  setupIntentDescription?: string;
}

/** What a session keeps for the intent it creates on completion (not part of the session object). */
export interface SessionIntentOptions {
  paymentIntentMetadata: Metadata;
  setupFutureUsage?: "off_session" | "on_session";
  setupIntentMetadata: Metadata;
  setupIntentDescription?: string;
}

export interface CreatePaymentIntentInput {
  amount: number;
  currency: string;
  customer?: string;
  paymentMethod?: string;
  confirm: boolean;
  offSession: boolean;
  metadata: Metadata;
  description?: string;
  receiptEmail?: string;
  setupFutureUsage?: "off_session" | "on_session";
  paymentMethodTypes?: string[];
}

/** A card as typed on the hosted page or given to `POST /v1/payment_methods`. */
export interface CardInput {
  card: TestCard;
  expMonth: number;
  expYear: number;
  cvcChecked: boolean;
}

export interface CreateCustomerInput {
  email?: string;
  name?: string;
  phone?: string;
  description?: string;
  metadata: Metadata;
}

/** `undefined`: unchanged; `null` unsets (`metadata: null` clears it, `""` values delete keys). */
export interface UpdateCustomerInput {
  email?: string | null;
  name?: string | null;
  phone?: string | null;
  description?: string | null;
  metadata?: Metadata | null;
  defaultPaymentMethod?: string | null;
}

export interface CreateRefundInput {
  paymentIntent?: string;
  charge?: string;
  amount?: number;
  reason?: RefundObject["reason"];
  metadata: Metadata;
}

export function newCustomer(input: CreateCustomerInput, now: number): CustomerObject {
  return {
    id: stripeId("cus", 14),
    object: "customer",
    address: null,
    balance: 0,
    created: now,
    currency: null,
    default_source: null,
    delinquent: false,
    description: input.description ?? null,
    email: input.email ?? null,
    invoice_prefix: stripeId("x", 8).slice(2).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: input.metadata,
    name: input.name ?? null,
    next_invoice_sequence: 1,
    phone: input.phone ?? null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: "none",
    test_clock: null,
  };
}

export function newSession(
  input: CreateSessionInput,
  computed: { id: string; currency: string | null; amountTotal: number | null; expiresAt: number; now: number; url: string },
): SessionObject {
  const setup = input.mode === "setup";
  return {
    id: computed.id,
    object: "checkout.session",
    after_expiration: null,
    allow_promotion_codes: null,
    amount_subtotal: computed.amountTotal,
    amount_total: computed.amountTotal,
    billing_address_collection: null,
    cancel_url: input.cancelUrl ?? null,
    client_reference_id: input.clientReferenceId ?? null,
    client_secret: null,
    created: computed.now,
    currency: computed.currency,
    customer: input.customer ?? null,
    customer_creation: input.customer ? null : (input.customerCreation ?? "if_required"),
    customer_details: input.customerEmail ? customerDetails(input.customerEmail) : null,
    customer_email: input.customerEmail ?? null,
    expires_at: computed.expiresAt,
    invoice: null,
    livemode: false,
    locale: null,
    metadata: input.metadata,
    mode: input.mode,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: "if_required",
    payment_method_types: input.paymentMethodTypes ?? ["card"],
    payment_status: setup ? "no_payment_required" : "unpaid",
    recovered_from: null,
    setup_intent: null,
    status: "open",
    submit_type: null,
    subscription: null,
    success_url: input.successUrl ?? null,
    total_details: setup ? null : { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: "hosted",
    url: computed.url,
  };
}

export function newLineItem(item: LineItemInput): LineItemObject {
  const total = item.unitAmount * item.quantity;
  return {
    id: stripeId("li"),
    object: "item",
    amount_discount: 0,
    amount_subtotal: total,
    amount_tax: 0,
    amount_total: total,
    currency: item.currency,
    description: item.name,
    quantity: item.quantity,
  };
}

/** A payment intent for a session being paid, still `processing` (no charge yet). */
export function newPaymentIntent(session: SessionObject, options: SessionIntentOptions, now: number): PaymentIntentObject {
  const id = stripeId("pi");
  return {
    id,
    object: "payment_intent",
    amount: session.amount_total ?? 0,
    amount_capturable: 0,
    amount_received: 0,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: "automatic_async",
    client_secret: `${id}_secret_${stripeId("x", 25).slice(2)}`,
    confirmation_method: "automatic",
    created: now,
    currency: session.currency ?? "usd",
    customer: session.customer,
    description: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    metadata: { ...options.paymentIntentMetadata },
    next_action: null,
    payment_method: stripeId("pm"),
    payment_method_types: session.payment_method_types,
    receipt_email: null,
    setup_future_usage: options.setupFutureUsage ?? null,
    status: "processing",
  };
}

/** A payment intent made through `POST /v1/payment_intents`, before it is confirmed. */
export function newApiPaymentIntent(input: CreatePaymentIntentInput, now: number): PaymentIntentObject {
  const id = stripeId("pi");
  return {
    id,
    object: "payment_intent",
    amount: input.amount,
    amount_capturable: 0,
    amount_received: 0,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: "automatic_async",
    client_secret: `${id}_secret_${stripeId("x", 25).slice(2)}`,
    confirmation_method: "automatic",
    created: now,
    currency: input.currency,
    customer: input.customer ?? null,
    description: input.description ?? null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    metadata: input.metadata,
    next_action: null,
    payment_method: input.paymentMethod ?? null,
    payment_method_types: input.paymentMethodTypes ?? ["card"],
    receipt_email: input.receiptEmail ?? null,
    setup_future_usage: input.setupFutureUsage ?? null,
    status: input.paymentMethod ? "requires_confirmation" : "requires_payment_method",
  };
}

export function newPaymentMethod(input: CardInput, billing: { email: string | null; name: string | null }, now: number): PaymentMethodObject {
  const { card } = input;
  return {
    id: stripeId("pm"),
    object: "payment_method",
    allow_redisplay: "unspecified",
    billing_details: { address: null, email: billing.email, name: billing.name, phone: null, tax_id: null },
    card: {
      brand: card.brand,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: input.cvcChecked ? "pass" : null },
      country: "US",
      display_brand: card.brand,
      exp_month: input.expMonth,
      exp_year: input.expYear,
      fingerprint: cardFingerprint(card.number),
      funding: card.funding,
      generated_from: null,
      last4: card.number.slice(-4),
      networks: { available: [card.brand], preferred: null },
      regulated_status: "unregulated",
      three_d_secure_usage: { supported: true },
      wallet: null,
    },
    created: now,
    customer: null,
    customer_account: null,
    livemode: false,
    metadata: {},
    type: "card",
  };
}

/** The SetupIntent a setup-mode session creates when the customer saves a card. */
export function newSetupIntent(session: SessionObject, options: SessionIntentOptions, now: number): SetupIntentObject {
  const id = stripeId("seti");
  return {
    id,
    object: "setup_intent",
    application: null,
    cancellation_reason: null,
    client_secret: `${id}_secret_${stripeId("x", 25).slice(2)}`,
    created: now,
    customer: session.customer,
    description: options.setupIntentDescription ?? null,
    last_setup_error: null,
    latest_attempt: null,
    livemode: false,
    mandate: null,
    metadata: { ...options.setupIntentMetadata },
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_types: session.payment_method_types,
    single_use_mandate: null,
    status: "requires_payment_method",
    usage: "off_session",
  };
}

export function newCharge(
  intent: PaymentIntentObject,
  email: string | null,
  status: "succeeded" | "failed",
  now: number,
  failure: { code: string; message: string } = { code: "card_declined", message: "Your card was declined." },
): ChargeObject {
  const succeeded = status === "succeeded";
  return {
    id: stripeId("ch"),
    object: "charge",
    amount: intent.amount,
    amount_captured: succeeded ? intent.amount : 0,
    amount_refunded: 0,
    balance_transaction: null,
    billing_details: { address: null, email, name: null, phone: null, tax_id: null },
    captured: succeeded,
    created: now,
    currency: intent.currency,
    customer: intent.customer,
    description: null,
    disputed: false,
    failure_code: succeeded ? null : failure.code,
    failure_message: succeeded ? null : failure.message,
    livemode: false,
    metadata: {},
    paid: succeeded,
    payment_intent: intent.id,
    payment_method: intent.payment_method ?? stripeId("pm"),
    receipt_email: null,
    refunded: false,
    status,
  };
}

export function newRefund(charge: ChargeObject, input: CreateRefundInput, amount: number, now: number): RefundObject {
  return {
    id: stripeId("re"),
    object: "refund",
    amount,
    balance_transaction: null,
    charge: charge.id,
    created: now,
    currency: charge.currency,
    metadata: input.metadata,
    payment_intent: charge.payment_intent,
    reason: input.reason ?? null,
    receipt_number: null,
    source_transfer_reversal: null,
    status: "succeeded",
    transfer_reversal: null,
  };
}

export function customerDetails(email: string, name: string | null = null): NonNullable<SessionObject["customer_details"]> {
  return { address: null, business_name: null, email, individual_name: null, name, phone: null, tax_exempt: "none", tax_ids: [] };
}
