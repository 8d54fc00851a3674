import { randomBytes } from "node:crypto";
import Stripe from "stripe";

/**
 * The Stripe objects the emulator keeps, as the JSON Stripe returns. Each interface lists
 * the fields the emulator fills (the rest of Stripe's fields are left out, not faked); the
 * compile-time checks at the bottom keep every listed field name and type identical to
 * the installed SDK's own types, so the app's code reads them exactly as from Stripe.
 */

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Stripe-looking ids: `cs_test_…`, `pi_…`, `ch_…`, `re_…`, `cus_…`, `evt_…`. */
export function stripeId(prefix: string, length = 24): string {
  let out = "";
  for (const b of randomBytes(length)) out += base62[b % 62];
  return `${prefix}_${out}`;
}

export type Metadata = Record<string, string>;

export interface LineItemObject {
  id: string;
  object: "item";
  amount_discount: number;
  amount_subtotal: number;
  amount_tax: number;
  amount_total: number;
  currency: string;
  description: string;
  quantity: number;
}

export interface SessionObject {
  id: string;
  object: "checkout.session";
  after_expiration: null;
  allow_promotion_codes: null;
  amount_subtotal: number | null;
  amount_total: number | null;
  billing_address_collection: null;
  cancel_url: string | null;
  client_reference_id: string | null;
  client_secret: null;
  created: number;
  currency: string | null;
  customer: string | null;
  customer_creation: "always" | "if_required" | null;
  customer_details: {
    address: null;
    business_name: null;
    email: string | null;
    individual_name: null;
    name: string | null;
    phone: null;
    tax_exempt: "none";
    tax_ids: [];
  } | null;
  customer_email: string | null;
  expires_at: number;
  invoice: null;
  livemode: false;
  locale: null;
  metadata: Metadata;
  mode: "payment" | "setup";
  payment_intent: string | null;
  payment_link: null;
  payment_method_collection: "if_required";
  payment_method_types: string[];
  payment_status: "paid" | "unpaid" | "no_payment_required";
  recovered_from: null;
  setup_intent: string | null;
  status: "open" | "complete" | "expired";
  submit_type: null;
  subscription: null;
  success_url: string | null;
  total_details: { amount_discount: number; amount_shipping: number; amount_tax: number } | null;
  ui_mode: "hosted";
  url: string | null;
}

export interface LastPaymentError {
  type: "card_error";
  code: "card_declined" | "authentication_required";
  decline_code: string;
  message: string;
  charge?: string;
  doc_url?: string;
  payment_method?: PaymentMethodObject;
}

export interface PaymentIntentObject {
  id: string;
  object: "payment_intent";
  amount: number;
  amount_capturable: number;
  amount_received: number;
  canceled_at: null;
  cancellation_reason: null;
  capture_method: "automatic_async";
  client_secret: string;
  confirmation_method: "automatic";
  created: number;
  currency: string;
  customer: string | null;
  description: string | null;
  last_payment_error: LastPaymentError | null;
  latest_charge: string | null;
  livemode: false;
  metadata: Metadata;
  next_action: { type: "use_stripe_sdk"; use_stripe_sdk: Record<string, never> } | null;
  payment_method: string | null;
  payment_method_types: string[];
  receipt_email: string | null;
  setup_future_usage: "off_session" | "on_session" | null;
  status: "processing" | "requires_payment_method" | "requires_confirmation" | "requires_action" | "succeeded";
}

export interface ChargeObject {
  id: string;
  object: "charge";
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  balance_transaction: null;
  billing_details: { address: null; email: string | null; name: string | null; phone: null; tax_id: null };
  captured: boolean;
  created: number;
  currency: string;
  customer: string | null;
  description: null;
  disputed: false;
  failure_code: string | null;
  failure_message: string | null;
  livemode: false;
  metadata: Metadata;
  paid: boolean;
  payment_intent: string;
  payment_method: string;
  receipt_email: string | null;
  refunded: boolean;
  status: "succeeded" | "failed";
}

export interface RefundObject {
  id: string;
  object: "refund";
  amount: number;
  balance_transaction: null;
  charge: string;
  created: number;
  currency: string;
  metadata: Metadata;
  payment_intent: string;
  reason: "duplicate" | "fraudulent" | "requested_by_customer" | null;
  receipt_number: null;
  source_transfer_reversal: null;
  status: "succeeded";
  transfer_reversal: null;
}

export interface CustomerObject {
  id: string;
  object: "customer";
  address: null;
  balance: number;
  created: number;
  currency: null;
  default_source: null;
  delinquent: boolean;
  description: string | null;
  email: string | null;
  invoice_prefix: string;
  invoice_settings: { custom_fields: null; default_payment_method: string | null; footer: null; rendering_options: null };
  livemode: false;
  metadata: Metadata;
  name: string | null;
  next_invoice_sequence: number;
  phone: string | null;
  preferred_locales: string[];
  shipping: null;
  tax_exempt: "none";
  test_clock: null;
}

export interface PaymentMethodObject {
  id: string;
  object: "payment_method";
  allow_redisplay: "always" | "limited" | "unspecified";
  billing_details: { address: null; email: string | null; name: string | null; phone: null; tax_id: null };
  card: {
    brand: string;
    checks: { address_line1_check: null; address_postal_code_check: null; cvc_check: "pass" | null };
    country: string;
    display_brand: string;
    exp_month: number;
    exp_year: number;
    fingerprint: string;
    funding: string;
    generated_from: null;
    last4: string;
    networks: { available: string[]; preferred: null };
    regulated_status: "unregulated";
    three_d_secure_usage: { supported: boolean };
    wallet: null;
  };
  created: number;
  customer: string | null;
  customer_account: null;
  livemode: false;
  metadata: Metadata;
  type: "card";
}

export interface SetupIntentObject {
  id: string;
  object: "setup_intent";
  application: null;
  cancellation_reason: null;
  client_secret: string;
  created: number;
  customer: string | null;
  description: string | null;
  last_setup_error: null;
  latest_attempt: null;
  livemode: false;
  mandate: null;
  metadata: Metadata;
  next_action: null;
  on_behalf_of: null;
  payment_method: string | null;
  payment_method_types: string[];
  single_use_mandate: null;
  status: "requires_payment_method" | "succeeded";
  usage: "off_session" | "on_session";
}

export type StripeObject = SessionObject | PaymentIntentObject | ChargeObject | RefundObject | CustomerObject | PaymentMethodObject | SetupIntentObject;

export interface EventObject {
  id: string;
  object: "event";
  api_version: string;
  created: number;
  data: { object: StripeObject; previous_attributes?: Record<string, unknown> };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: EventType;
}

/** Every event type the emulator emits (see README.md for when). */
export type EventType =
  | "checkout.session.completed"
  | "checkout.session.async_payment_succeeded"
  | "checkout.session.async_payment_failed"
  | "checkout.session.expired"
  | "charge.refunded"
  | "charge.succeeded"
  | "charge.failed"
  | "payment_intent.succeeded"
  | "payment_intent.payment_failed"
  | "payment_intent.requires_action"
  | "setup_intent.succeeded"
  | "payment_method.attached"
  | "payment_method.detached"
  | "customer.updated";

export const apiVersion: string = Stripe.API_VERSION;

/**
 * Field-by-field conformance with the SDK's types: a failure names the object whose field
 * drifted (hover `Conforms<…>` to see which field is `false`).
 */
type Conforms<Ours, Theirs> = { [K in keyof Ours]-?: K extends keyof Theirs ? (Ours[K] extends Theirs[K] ? true : false) : false };
type AllTrue<T> = T[keyof T] extends true ? true : T;
const conformance: [
  AllTrue<Conforms<SessionObject, Stripe.Checkout.Session>>,
  AllTrue<Conforms<LineItemObject, Stripe.LineItem>>,
  AllTrue<Conforms<PaymentIntentObject, Stripe.PaymentIntent>>,
  AllTrue<Conforms<ChargeObject, Stripe.Charge>>,
  AllTrue<Conforms<RefundObject, Stripe.Refund>>,
  AllTrue<Conforms<CustomerObject, Stripe.Customer>>,
  AllTrue<Conforms<PaymentMethodObject, Stripe.PaymentMethod>>,
  AllTrue<Conforms<PaymentMethodObject["card"], Stripe.PaymentMethod.Card>>,
  AllTrue<Conforms<SetupIntentObject, Stripe.SetupIntent>>,
  AllTrue<Conforms<LastPaymentError, Stripe.PaymentIntent.LastPaymentError>>,
  AllTrue<Conforms<Omit<EventObject, "data" | "type">, Stripe.Event>>,
] = [true, true, true, true, true, true, true, true, true, true, true];
void conformance;
