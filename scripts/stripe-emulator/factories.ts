import {
  stripeId,
  type ChargeObject,
  type CustomerObject,
  type LineItemObject,
  type Metadata,
  type PaymentIntentObject,
  type RefundObject,
  type SessionObject,
} from "./objects";

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
  lineItems: LineItemInput[];
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
}

export interface CreateCustomerInput {
  email?: string;
  name?: string;
  phone?: string;
  description?: string;
  metadata: Metadata;
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
  computed: { id: string; currency: string; amountTotal: number; expiresAt: number; now: number; url: string },
): SessionObject {
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
    mode: "payment",
    payment_intent: null,
    payment_link: null,
    payment_method_collection: "if_required",
    payment_method_types: input.paymentMethodTypes ?? ["card"],
    payment_status: "unpaid",
    recovered_from: null,
    setup_intent: null,
    status: "open",
    submit_type: null,
    subscription: null,
    success_url: input.successUrl ?? null,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
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
export function newPaymentIntent(session: SessionObject, metadata: Metadata, now: number): PaymentIntentObject {
  const id = stripeId("pi");
  return {
    id,
    object: "payment_intent",
    amount: session.amount_total,
    amount_capturable: 0,
    amount_received: 0,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: "automatic_async",
    client_secret: `${id}_secret_${stripeId("x", 25).slice(2)}`,
    confirmation_method: "automatic",
    created: now,
    currency: session.currency,
    customer: session.customer,
    description: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    metadata: { ...metadata },
    payment_method: stripeId("pm"),
    payment_method_types: session.payment_method_types,
    receipt_email: null,
    status: "processing",
  };
}

export function newCharge(intent: PaymentIntentObject, email: string | null, status: "succeeded" | "failed", now: number): ChargeObject {
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
    failure_code: succeeded ? null : "card_declined",
    failure_message: succeeded ? null : "Your card was declined.",
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
