import { testCardByFingerprint, testCardByNumber, testCardByPaymentMethodId, type ChargeOutcome } from "./cards";
import { cardError, invalidParam, invalidState, noSuch, StripeApiError } from "./errors";
import {
  customerDetails,
  newApiPaymentIntent,
  newCharge,
  newCustomer,
  newLineItem,
  newPaymentIntent,
  newPaymentMethod,
  newRefund,
  newSession,
  newSetupIntent,
  type CardInput,
  type CreateCustomerInput,
  type CreatePaymentIntentInput,
  type CreateRefundInput,
  type CreateSessionInput,
  type LineItemInput,
  type SessionIntentOptions,
  type UpdateCustomerInput,
} from "./factories";
import type { SavedResult } from "./idempotency";
import {
  apiVersion,
  stripeId,
  type ChargeObject,
  type CustomerObject,
  type EventObject,
  type EventType,
  type LineItemObject,
  type Metadata,
  type PaymentIntentObject,
  type PaymentMethodObject,
  type RefundObject,
  type SessionObject,
  type SetupIntentObject,
  type StripeObject,
} from "./objects";

/**
 * The state file's content: version 1. Maps are objects keyed by session id. The lists and
 * maps marked optional were added later: files written before them still load.
 */
export interface StateSnapshot {
  version: 1;
  clock_offset_seconds: number;
  sessions: SessionObject[];
  line_items: Record<string, LineItemObject[]>;
  payment_intent_metadata: Record<string, Metadata>;
  payment_intents: PaymentIntentObject[];
  charges: ChargeObject[];
  refunds: RefundObject[];
  customers: CustomerObject[];
  events: EventObject[];
  payment_methods?: PaymentMethodObject[];
  setup_intents?: SetupIntentObject[];
  session_options?: Record<string, SessionIntentOptions>;
  /** PaymentMethods detached from their customer: Stripe refuses to use them again. */
  detached_payment_methods?: string[];
  /** Idempotency-Key results of the last 24 hours (idempotency.ts), written by the server. */
  idempotency_keys?: Record<string, SavedResult>;
}

/** Which API request caused an event (Stripe's `event.request`); null for customer actions. */
export interface RequestContext {
  id: string | null;
  idempotencyKey: string | null;
}
const customerAction: RequestContext = { id: null, idempotencyKey: null };

/** Smallest chargeable totals Stripe accepts for common currencies (in minor units). */
const minimumAmount: Record<string, number> = { usd: 50, eur: 50, gbp: 30, cad: 50, aud: 50, chf: 50, jpy: 50 };
const maximumAmount = 99_999_999;
const minSessionLifetime = 30 * 60;
const maxSessionLifetime = 24 * 60 * 60;
/** Seconds of leeway for clients that compute `now + 30 min` a moment before the request. */
const clockSlack = 10;

/**
 * The emulator's in-memory Stripe account. Every state change that Stripe reports by
 * webhook goes through `emit`, which records the event (with a snapshot of the object)
 * and hands it to the webhook dispatcher. Invariants: a session leaves `open` exactly
 * once (to `complete` or `expired`); a charge's `amount_refunded` never exceeds `amount`.
 */
export class EmulatorState {
  readonly sessions = new Map<string, SessionObject>();
  readonly lineItems = new Map<string, LineItemObject[]>();
  readonly paymentIntents = new Map<string, PaymentIntentObject>();
  readonly charges = new Map<string, ChargeObject>();
  readonly refunds = new Map<string, RefundObject>();
  readonly customers = new Map<string, CustomerObject>();
  readonly paymentMethods = new Map<string, PaymentMethodObject>();
  readonly setupIntents = new Map<string, SetupIntentObject>();
  readonly events: EventObject[] = [];
  private readonly sessionOptions = new Map<string, SessionIntentOptions>();
  private readonly detachedPaymentMethods = new Set<string>();
  private clockOffsetSeconds = 0;
  private changes = 0;

  constructor(
    private readonly baseUrl: () => string,
    private readonly onEvent: (event: EventObject) => void,
  ) {}

  /** Grows with every change to what `snapshot()` returns: the server saves when it moved. */
  get revision(): number {
    return this.changes;
  }

  /** Everything the emulator knows as plain JSON, for the state file (see persistence.ts). */
  snapshot(): StateSnapshot {
    return {
      version: 1,
      clock_offset_seconds: this.clockOffsetSeconds,
      sessions: [...this.sessions.values()],
      line_items: Object.fromEntries(this.lineItems),
      payment_intent_metadata: Object.fromEntries([...this.sessionOptions].map(([id, options]) => [id, options.paymentIntentMetadata])),
      payment_intents: [...this.paymentIntents.values()],
      charges: [...this.charges.values()],
      refunds: [...this.refunds.values()],
      customers: [...this.customers.values()],
      events: this.events,
      payment_methods: [...this.paymentMethods.values()],
      setup_intents: [...this.setupIntents.values()],
      session_options: Object.fromEntries(this.sessionOptions),
      detached_payment_methods: [...this.detachedPaymentMethods],
    };
  }

  /** Replaces everything with a snapshot taken by `snapshot()` (a copy: nothing is shared). */
  restore(saved: StateSnapshot): void {
    this.reset();
    const copy = structuredClone(saved);
    this.clockOffsetSeconds = copy.clock_offset_seconds;
    for (const session of copy.sessions) this.sessions.set(session.id, session);
    for (const [id, items] of Object.entries(copy.line_items)) this.lineItems.set(id, items);
    for (const [id, metadata] of Object.entries(copy.payment_intent_metadata)) {
      this.sessionOptions.set(id, copy.session_options?.[id] ?? { paymentIntentMetadata: metadata, setupIntentMetadata: {} });
    }
    for (const method of copy.payment_methods ?? []) this.paymentMethods.set(method.id, method);
    for (const intent of copy.setup_intents ?? []) this.setupIntents.set(intent.id, intent);
    for (const id of copy.detached_payment_methods ?? []) this.detachedPaymentMethods.add(id);
    for (const intent of copy.payment_intents) this.paymentIntents.set(intent.id, intent);
    for (const charge of copy.charges) this.charges.set(charge.id, charge);
    for (const refund of copy.refunds) this.refunds.set(refund.id, refund);
    for (const customer of copy.customers) {
      // Files written before saved cards existed have customers without invoice_settings.
      customer.invoice_settings ??= { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null };
      this.customers.set(customer.id, customer);
    }
    this.events.push(...copy.events);
    // The port may differ from the last run's: open sessions' hosted pages are on this one.
    for (const session of this.sessions.values()) {
      if (session.url !== null) session.url = `${this.baseUrl()}/checkout/${session.id}`;
    }
  }

  /** Unix seconds on the emulator's clock (real time plus whatever tests advanced it by). */
  now(): number {
    return Math.floor(Date.now() / 1000) + this.clockOffsetSeconds;
  }

  /** Moves the clock forward and expires the sessions whose `expires_at` has passed. */
  advanceClock(seconds: number): number {
    if (!Number.isFinite(seconds) || seconds < 0) throw invalidParam("seconds", "seconds must be a non-negative number");
    this.clockOffsetSeconds += Math.floor(seconds);
    this.changes++;
    this.expireDueSessions();
    return this.now();
  }

  reset(): void {
    for (const map of [this.sessions, this.lineItems, this.paymentIntents, this.charges, this.refunds, this.customers, this.paymentMethods, this.setupIntents, this.sessionOptions]) {
      map.clear();
    }
    this.detachedPaymentMethods.clear();
    this.events.length = 0;
    this.clockOffsetSeconds = 0;
    this.changes++;
  }

  createCustomer(input: CreateCustomerInput): CustomerObject {
    const customer = newCustomer(input, this.now());
    this.customers.set(customer.id, customer);
    this.changes++;
    return customer;
  }

  /** Validates what Stripe validates at creation and opens a session in `payment` or `setup` mode. */
  createSession(input: CreateSessionInput): SessionObject {
    const now = this.now();
    let currency: string | null = input.currency ?? null;
    let amountTotal: number | null = null;
    if (input.mode === "payment") {
      currency = checkedCurrency(input.lineItems);
      amountTotal = input.lineItems.reduce((sum, item) => sum + item.unitAmount * item.quantity, 0);
      const minimum = minimumAmount[currency];
      if (minimum !== undefined && amountTotal < minimum) {
        throw new StripeApiError(400, "invalid_request_error", `The Checkout Session's total amount due must add up to at least ${minimum} (minor units) ${currency}`, undefined, "amount_too_small");
      }
      if (amountTotal > maximumAmount) {
        throw new StripeApiError(400, "invalid_request_error", `The Checkout Session's total amount due must be no more than ${maximumAmount} (minor units) ${currency}`, undefined, "amount_too_large");
      }
    }
    const expiresAt = input.expiresAt ?? now + maxSessionLifetime;
    if (expiresAt < now + minSessionLifetime - clockSlack || expiresAt > now + maxSessionLifetime + clockSlack) {
      throw invalidParam("expires_at", "The `expires_at` timestamp must be between 30 minutes and 24 hours after the Checkout Session's creation.");
    }
    if (input.customer && input.customerEmail) {
      throw invalidParam("customer_email", "You may only specify one of these parameters: customer, customer_email.");
    }
    if (input.customer) this.customerOrThrow(input.customer, "customer", 400);

    const id = stripeId("cs_test", 58);
    const url = `${this.baseUrl()}/checkout/${id}`;
    const session = newSession(input, { id, currency, amountTotal, expiresAt, now, url });
    this.sessions.set(id, session);
    this.lineItems.set(id, input.lineItems.map(newLineItem));
    this.sessionOptions.set(id, {
      paymentIntentMetadata: input.paymentIntentMetadata,
      setupFutureUsage: input.setupFutureUsage,
      setupIntentMetadata: input.setupIntentMetadata,
      setupIntentDescription: input.setupIntentDescription,
    });
    this.changes++;
    return session;
  }

  /**
   * What the setup page's "Save card" does: a PaymentMethod for the card, attached to the
   * session's customer (if it has one), a succeeded SetupIntent, the session `complete`.
   * Emits `payment_method.attached` (with a customer), `setup_intent.succeeded`, then
   * `checkout.session.completed`.
   */
  completeSetup(sessionId: string, card: CardInput): SessionObject {
    this.expireDueSessions();
    const session = this.openSessionOrThrow(sessionId);
    if (session.mode !== "setup") throw invalidState(`Checkout Session ${sessionId} is in ${session.mode} mode: it takes a payment, not a card to save.`);
    const customer = session.customer ? this.customers.get(session.customer) : undefined;
    const email = checkoutEmail(session, customer);
    const method = newPaymentMethod(card, { email, name: customer?.name ?? null }, this.now());
    this.paymentMethods.set(method.id, method);
    if (customer) this.attach(method, customer.id, customerAction);
    const intent = newSetupIntent(session, this.sessionOptions.get(session.id) ?? { paymentIntentMetadata: {}, setupIntentMetadata: {} }, this.now());
    intent.payment_method = method.id;
    intent.status = "succeeded";
    this.setupIntents.set(intent.id, intent);
    session.status = "complete";
    session.setup_intent = intent.id;
    session.url = null;
    session.customer_details = customerDetails(email, customer?.name ?? null);
    this.emit("setup_intent.succeeded", intent);
    this.emit("checkout.session.completed", session);
    return session;
  }

  /** Whether paying this session saves the card (`payment_intent_data[setup_future_usage]`). */
  savesPayingCard(sessionId: string): boolean {
    return Boolean(this.sessionOptions.get(sessionId)?.setupFutureUsage);
  }

  createPaymentIntent(input: CreatePaymentIntentInput, request: RequestContext): PaymentIntentObject {
    checkAmount(input.amount, input.currency);
    if (input.customer) this.customerOrThrow(input.customer, "customer", 400);
    if (input.offSession && !input.confirm) throw invalidParam("off_session", "You passed off_session but confirm was not true. off_session can only be used when confirm=true.");
    if (input.confirm && !input.paymentMethod) throw missingPaymentMethod();
    const method = input.paymentMethod ? this.usablePaymentMethodOrThrow(input.paymentMethod, input.customer) : undefined;
    const intent = newApiPaymentIntent({ ...input, paymentMethod: method?.id }, this.now());
    this.paymentIntents.set(intent.id, intent);
    this.changes++;
    if (input.confirm) return this.confirm(intent, { offSession: input.offSession }, request);
    return intent;
  }

  /** `POST /v1/payment_intents/:id/confirm`: charges the intent's (or the given) card. */
  confirmPaymentIntent(id: string, input: { paymentMethod?: string; offSession: boolean }, request: RequestContext): PaymentIntentObject {
    const intent = this.paymentIntentOrThrow(id);
    if (intent.status !== "requires_payment_method" && intent.status !== "requires_confirmation" && intent.status !== "requires_action") {
      throw invalidState(`You cannot confirm this PaymentIntent because it has a status of ${intent.status}.`, undefined, "payment_intent_unexpected_state");
    }
    if (input.paymentMethod) intent.payment_method = this.usablePaymentMethodOrThrow(input.paymentMethod, intent.customer ?? undefined).id;
    return this.confirm(intent, input, request);
  }

  createCustomerPaymentMethod(card: CardInput): PaymentMethodObject {
    const method = newPaymentMethod(card, { email: null, name: null }, this.now());
    this.paymentMethods.set(method.id, method);
    this.changes++;
    return method;
  }

  /** Stripe's `pm_card_visa`-style ids are test cards: attaching one attaches a new copy. */
  attachPaymentMethod(id: string, customerId: string, request: RequestContext): PaymentMethodObject {
    const customer = this.customerOrThrow(customerId, "customer", 400);
    const method = this.fromTestPaymentMethod(id) ?? this.paymentMethodOrThrow(id);
    if (this.detachedPaymentMethods.has(method.id)) {
      throw invalidState("This PaymentMethod was previously used without being attached to a Customer or was detached from a Customer, and may not be used again.");
    }
    if (method.customer === customer.id) return method;
    if (method.customer) throw invalidState("The payment method you provided has already been attached to a customer.", undefined, "payment_method_unexpected_state");
    this.attach(method, customer.id, request);
    return method;
  }

  /** Detaches a card; a customer whose default it was has no default any more (as with Stripe). */
  detachPaymentMethod(id: string, request: RequestContext): PaymentMethodObject {
    const method = this.paymentMethodOrThrow(id);
    if (!method.customer) {
      throw invalidState("The payment method you provided is not attached to a customer so detachment is impossible.", undefined, "payment_method_unexpected_state");
    }
    const previous = { customer: method.customer };
    const customer = this.customers.get(method.customer);
    if (customer?.invoice_settings.default_payment_method === method.id) customer.invoice_settings.default_payment_method = null;
    method.customer = null;
    this.detachedPaymentMethods.add(method.id);
    this.emit("payment_method.detached", method, { previous, request });
    return method;
  }

  /** A customer's PaymentMethods, newest first (optionally of one type). */
  customerPaymentMethods(customerId: string, type?: string): PaymentMethodObject[] {
    return [...this.paymentMethods.values()].filter((m) => m.customer === customerId && (type === undefined || m.type === type)).reverse();
  }

  updateCustomer(id: string, input: UpdateCustomerInput, request: RequestContext): CustomerObject {
    const customer = this.customerOrThrow(id, "id");
    const previous: Record<string, unknown> = {};
    const set = <K extends "email" | "name" | "phone" | "description">(key: K, value: string | null | undefined) => {
      if (value === undefined || value === customer[key]) return;
      previous[key] = customer[key];
      customer[key] = value;
    };
    set("email", input.email);
    set("name", input.name);
    set("phone", input.phone);
    set("description", input.description);
    if (input.metadata !== undefined) {
      const merged: Metadata = input.metadata === null ? {} : { ...customer.metadata };
      for (const [key, value] of Object.entries(input.metadata ?? {})) {
        if (value === "") delete merged[key];
        else merged[key] = value;
      }
      if (JSON.stringify(merged) !== JSON.stringify(customer.metadata)) previous.metadata = customer.metadata;
      customer.metadata = merged;
    }
    if (input.defaultPaymentMethod !== undefined) {
      const wanted = input.defaultPaymentMethod;
      if (wanted !== null) {
        const method = this.paymentMethods.get(wanted);
        if (!method || method.customer !== customer.id) {
          throw invalidParam(
            "invoice_settings[default_payment_method]",
            `The customer does not have a payment method with the ID ${wanted}. The payment method must be attached to the customer.`,
            "resource_missing",
          );
        }
      }
      if (customer.invoice_settings.default_payment_method !== wanted) {
        previous.invoice_settings = { ...customer.invoice_settings };
        customer.invoice_settings.default_payment_method = wanted;
      }
    }
    if (Object.keys(previous).length > 0) this.emit("customer.updated", customer, { previous, request });
    return customer;
  }

  /**
   * Test control: saves a test card to a customer as if the cardholder had added it on the
   * setup page (a PaymentMethod attached, `payment_method.attached` emitted).
   */
  saveCard(customerId: string, card: CardInput): PaymentMethodObject {
    const customer = this.customerOrThrow(customerId, "customer", 400);
    const method = newPaymentMethod(card, { email: customer.email, name: customer.name }, this.now());
    this.paymentMethods.set(method.id, method);
    this.attach(method, customer.id, customerAction);
    return method;
  }

  /** Card payment that succeeds at once: `complete`/`paid`, emits `checkout.session.completed`. */
  pay(sessionId: string): SessionObject {
    const session = this.completeSession(sessionId, "succeeded");
    this.emit("checkout.session.completed", session);
    return session;
  }

  /**
   * A delayed payment method (bank debit): the customer finishes checkout but the money is
   * not there yet. `complete`/`unpaid`, payment intent `processing`, emits
   * `checkout.session.completed`; settle later with `asyncSucceed` or `asyncFail`.
   */
  payAsync(sessionId: string): SessionObject {
    const session = this.completeSession(sessionId, "processing");
    this.emit("checkout.session.completed", session);
    return session;
  }

  /** The delayed payment settled: `paid`, emits `checkout.session.async_payment_succeeded`. */
  asyncSucceed(sessionId: string): SessionObject {
    const { session, intent } = this.processingPaymentOrThrow(sessionId);
    settle(intent, this.createCharge(session, intent, "succeeded"));
    session.payment_status = "paid";
    this.emit("checkout.session.async_payment_succeeded", session);
    return session;
  }

  /** The delayed payment was rejected: stays `unpaid`, emits `checkout.session.async_payment_failed`. */
  asyncFail(sessionId: string): SessionObject {
    const { session, intent } = this.processingPaymentOrThrow(sessionId);
    intent.latest_charge = this.createCharge(session, intent, "failed").id;
    intent.status = "requires_payment_method";
    intent.last_payment_error = { type: "card_error", code: "card_declined", decline_code: "generic_decline", message: "Your card was declined." };
    this.emit("checkout.session.async_payment_failed", session);
    return session;
  }

  /**
   * What the hosted page's Decline button does: the only way Stripe Checkout reports a
   * failed payment by webhook is a completed-but-unpaid session whose payment then fails,
   * so Decline is `payAsync` followed by `asyncFail` (two events, in that order).
   */
  decline(sessionId: string): SessionObject {
    this.payAsync(sessionId);
    return this.asyncFail(sessionId);
  }

  /** Expires an open session (`status: expired`, `url: null`), emits `checkout.session.expired`. */
  expireSession(sessionId: string, request: RequestContext = customerAction): SessionObject {
    const session = this.sessionOrThrow(sessionId);
    if (session.status !== "open") {
      throw invalidState(`Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`);
    }
    session.status = "expired";
    session.url = null;
    this.emit("checkout.session.expired", session, { request });
    return session;
  }

  /** Stripe expires sessions on its own at `expires_at`; called on every request and on a timer. */
  expireDueSessions(): void {
    const now = this.now();
    for (const session of this.sessions.values()) {
      if (session.status === "open" && session.expires_at <= now) this.expireSession(session.id);
    }
  }

  /** Refunds part or all of a payment's charge; emits `charge.refunded` with cumulative amounts. */
  refund(input: CreateRefundInput, request: RequestContext = customerAction): RefundObject {
    const charge = this.refundableChargeOrThrow(input);
    const remaining = charge.amount - charge.amount_refunded;
    if (remaining === 0) {
      throw new StripeApiError(400, "invalid_request_error", `Charge ${charge.id} has already been refunded.`, undefined, "charge_already_refunded");
    }
    const amount = input.amount ?? remaining;
    if (amount <= 0) throw invalidParam("amount", "Refund amount must be a positive integer.");
    if (amount > remaining) {
      throw invalidParam("amount", `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining}).`, "amount_too_large");
    }
    const refund = newRefund(charge, input, amount, this.now());
    this.refunds.set(refund.id, refund);
    const previous = { amount_refunded: charge.amount_refunded, refunded: charge.refunded };
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded === charge.amount;
    this.emit("charge.refunded", charge, { previous, request });
    return refund;
  }

  sessionOrThrow(id: string): SessionObject {
    const session = this.sessions.get(id);
    if (!session) throw noSuch("checkout.session", id, "session");
    return session;
  }

  paymentIntentOrThrow(id: string, param = "intent", status: 400 | 404 = 404): PaymentIntentObject {
    const intent = this.paymentIntents.get(id);
    if (!intent) throw noSuch("payment_intent", id, param, status);
    return intent;
  }

  chargeOrThrow(id: string, param = "charge", status: 400 | 404 = 404): ChargeObject {
    const charge = this.charges.get(id);
    if (!charge) throw noSuch("charge", id, param, status);
    return charge;
  }

  refundOrThrow(id: string): RefundObject {
    const refund = this.refunds.get(id);
    if (!refund) throw noSuch("refund", id, "refund");
    return refund;
  }

  customerOrThrow(id: string, param = "customer", status: 400 | 404 = 404): CustomerObject {
    const customer = this.customers.get(id);
    if (!customer) throw noSuch("customer", id, param, status);
    return customer;
  }

  eventOrThrow(id: string): EventObject {
    const event = this.events.find((e) => e.id === id);
    if (!event) throw noSuch("event", id, "id");
    return event;
  }

  paymentMethodOrThrow(id: string, param = "payment_method", status: 400 | 404 = 404): PaymentMethodObject {
    const method = this.paymentMethods.get(id);
    if (!method) throw noSuch("PaymentMethod", id, param, status);
    return method;
  }

  setupIntentOrThrow(id: string): SetupIntentObject {
    const intent = this.setupIntents.get(id);
    if (!intent) throw noSuch("setupintent", id, "intent");
    return intent;
  }

  /** Any stored object by id, for `expand[]`. */
  findObject(id: string): StripeObject | undefined {
    return (
      this.sessions.get(id) ??
      this.paymentIntents.get(id) ??
      this.charges.get(id) ??
      this.refunds.get(id) ??
      this.customers.get(id) ??
      this.paymentMethods.get(id) ??
      this.setupIntents.get(id)
    );
  }

  private attach(method: PaymentMethodObject, customerId: string, request: RequestContext): void {
    method.customer = customerId;
    this.emit("payment_method.attached", method, { request });
  }

  /** A fresh PaymentMethod for Stripe's ready-made test ids (`pm_card_visa`, …), else undefined. */
  private fromTestPaymentMethod(id: string): PaymentMethodObject | undefined {
    const card = testCardByPaymentMethodId(id);
    if (!card) return undefined;
    return this.createCustomerPaymentMethod({ card, expMonth: 12, expYear: new Date().getUTCFullYear() + 5, cvcChecked: true });
  }

  /** The PaymentMethod a payment may use: it exists and, if attached, belongs to `customer`. */
  private usablePaymentMethodOrThrow(id: string, customer: string | undefined): PaymentMethodObject {
    const method = this.fromTestPaymentMethod(id) ?? this.paymentMethodOrThrow(id, "payment_method", 400);
    if (this.detachedPaymentMethods.has(method.id)) {
      throw invalidParam("payment_method", "This PaymentMethod was previously used without being attached to a Customer or was detached from a Customer, and may not be used again.", "payment_method_unexpected_state");
    }
    if (method.customer && !customer) {
      throw invalidParam("payment_method", `The provided PaymentMethod ${method.id} is attached to a Customer. To use it, also pass that Customer's ID as \`customer\`.`, "payment_method_unexpected_state");
    }
    if (method.customer && customer && method.customer !== customer) {
      throw invalidParam("payment_method", `The provided PaymentMethod ${method.id} does not belong to the Customer ${customer}.`, "payment_method_unexpected_state");
    }
    return method;
  }

  /**
   * Charges the intent's card, with the test card's outcome. Success: `succeeded`, a charge,
   * `charge.succeeded` + `payment_intent.succeeded`. A decline (or authentication needed
   * off-session): a failed charge, the intent back to `requires_payment_method` with
   * `last_payment_error`, `charge.failed` + `payment_intent.payment_failed`, and a 402
   * card error thrown, as Stripe answers. Authentication on-session: `requires_action`.
   */
  private confirm(intent: PaymentIntentObject, options: { offSession: boolean }, request: RequestContext): PaymentIntentObject {
    const methodId = intent.payment_method;
    if (!methodId) throw missingPaymentMethod();
    const method = this.paymentMethodOrThrow(methodId, "payment_method", 400);
    const outcome = chargeOutcome(method);
    const email = intent.receipt_email ?? (intent.customer ? (this.customers.get(intent.customer)?.email ?? null) : null);
    if (outcome.kind === "succeeds") {
      const charge = newCharge(intent, email, "succeeded", this.now());
      this.charges.set(charge.id, charge);
      settle(intent, charge);
      intent.last_payment_error = null;
      intent.next_action = null;
      if (intent.setup_future_usage && intent.customer && !method.customer) this.attach(method, intent.customer, request);
      this.emit("charge.succeeded", charge, { request });
      this.emit("payment_intent.succeeded", intent, { request });
      return intent;
    }
    if (outcome.kind === "authentication_required" && !options.offSession) {
      intent.status = "requires_action";
      intent.next_action = { type: "use_stripe_sdk", use_stripe_sdk: {} };
      this.emit("payment_intent.requires_action", intent, { request });
      return intent;
    }
    const failure =
      outcome.kind === "declined"
        ? { code: "card_declined" as const, declineCode: outcome.declineCode, message: outcome.message }
        : { code: "authentication_required" as const, declineCode: "authentication_required", message: "Your card was declined. This transaction requires authentication." };
    const charge = newCharge(intent, email, "failed", this.now(), { code: failure.code, message: failure.message });
    this.charges.set(charge.id, charge);
    intent.latest_charge = charge.id;
    intent.status = "requires_payment_method";
    intent.next_action = null;
    // As with Stripe, a failed attempt takes the card off the intent; the error keeps it.
    intent.payment_method = null;
    intent.last_payment_error = {
      type: "card_error",
      code: failure.code,
      decline_code: failure.declineCode,
      message: failure.message,
      charge: charge.id,
      doc_url: `https://stripe.com/docs/error-codes/${failure.code.replaceAll("_", "-")}`,
      payment_method: structuredClone(method),
    };
    this.emit("charge.failed", charge, { request });
    this.emit("payment_intent.payment_failed", intent, { request });
    throw cardError(failure.message, failure.code, {
      decline_code: failure.declineCode,
      charge: charge.id,
      payment_intent: structuredClone(intent),
      payment_method: structuredClone(method),
    });
  }

  private openSessionOrThrow(sessionId: string): SessionObject {
    const session = this.sessionOrThrow(sessionId);
    if (session.status !== "open") {
      throw invalidState(`This Checkout Session is no longer open (status "${session.status}").`, undefined, "checkout_session_not_open");
    }
    return session;
  }

  private completeSession(sessionId: string, paymentStatus: "succeeded" | "processing"): SessionObject {
    this.expireDueSessions();
    const session = this.openSessionOrThrow(sessionId);
    if (session.mode !== "payment") throw invalidState(`Checkout Session ${sessionId} is in setup mode: it saves a card (complete it with setup), it takes no payment.`);
    const options = this.sessionOptions.get(session.id) ?? { paymentIntentMetadata: {}, setupIntentMetadata: {} };
    // Checkout makes a Customer whenever the card is to be saved: a PaymentMethod is saved to one.
    if (!session.customer && (session.customer_creation === "always" || options.setupFutureUsage)) {
      session.customer = this.createCustomer({ email: checkoutEmail(session, undefined), metadata: {} }).id;
    }
    const customer = session.customer ? this.customers.get(session.customer) : undefined;
    const intent = newPaymentIntent(session, options, this.now());
    this.paymentIntents.set(intent.id, intent);
    if (options.setupFutureUsage && customer && paymentStatus === "succeeded") {
      // The hosted page's Pay is the card that always succeeds: that is the card saved (a
      // declined payment saves nothing, as with Stripe).
      const visa = testCardByNumber("4242424242424242");
      if (!visa) throw new Error("the test card table lost 4242424242424242");
      const method = newPaymentMethod({ card: visa, expMonth: 12, expYear: new Date().getUTCFullYear() + 5, cvcChecked: true }, { email: checkoutEmail(session, customer), name: customer.name }, this.now());
      this.paymentMethods.set(method.id, method);
      this.attach(method, customer.id, customerAction);
      intent.payment_method = method.id;
    }
    if (paymentStatus === "succeeded") settle(intent, this.createCharge(session, intent, "succeeded"));
    session.status = "complete";
    session.payment_status = paymentStatus === "succeeded" ? "paid" : "unpaid";
    session.payment_intent = intent.id;
    session.url = null;
    session.customer_details = customerDetails(checkoutEmail(session, customer), customer?.name ?? null);
    return session;
  }

  private processingPaymentOrThrow(sessionId: string): { session: SessionObject; intent: PaymentIntentObject } {
    const session = this.sessionOrThrow(sessionId);
    const intent = session.payment_intent ? this.paymentIntents.get(session.payment_intent) : undefined;
    if (session.status !== "complete" || !intent || intent.status !== "processing") {
      throw invalidState(`Checkout Session ${sessionId} has no delayed payment in progress (complete it with pay-async first).`);
    }
    return { session, intent };
  }

  private createCharge(session: SessionObject, intent: PaymentIntentObject, status: "succeeded" | "failed"): ChargeObject {
    const charge = newCharge(intent, session.customer_details?.email ?? null, status, this.now());
    this.charges.set(charge.id, charge);
    return charge;
  }

  private refundableChargeOrThrow(input: CreateRefundInput): ChargeObject {
    if (input.charge) {
      const charge = this.chargeOrThrow(input.charge, "charge", 400);
      if (charge.status !== "succeeded") throw invalidState(`Charge ${charge.id} has not succeeded and cannot be refunded.`, "charge");
      return charge;
    }
    if (!input.paymentIntent) {
      throw invalidState("One of the following params should be provided for this request: payment_intent or charge.", "payment_intent", "parameter_missing");
    }
    const intent = this.paymentIntentOrThrow(input.paymentIntent, "payment_intent", 400);
    const charge = intent.latest_charge ? this.charges.get(intent.latest_charge) : undefined;
    if (intent.status !== "succeeded" || !charge || charge.status !== "succeeded") {
      throw invalidState(`This PaymentIntent (${intent.id}) does not have a successful charge to refund.`, "payment_intent");
    }
    return charge;
  }

  private emit(type: EventType, object: StripeObject, options: { previous?: Record<string, unknown>; request?: RequestContext } = {}): EventObject {
    const request = options.request ?? customerAction;
    const event: EventObject = {
      id: stripeId("evt"),
      object: "event",
      api_version: apiVersion,
      created: this.now(),
      data: options.previous ? { object: structuredClone(object), previous_attributes: options.previous } : { object: structuredClone(object) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: request.id, idempotency_key: request.idempotencyKey },
      type,
    };
    this.events.push(event);
    this.changes++;
    this.onEvent(event);
    return event;
  }
}

function missingPaymentMethod(): StripeApiError {
  return invalidState(
    "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.",
    undefined,
    "payment_intent_unexpected_state",
  );
}

/** Validates a payment's amount the way Stripe does (Stripe's minimum per currency, and maximum). */
function checkAmount(amount: number, currency: string): void {
  if (amount < 1) throw invalidParam("amount", "This value must be greater than or equal to 1.");
  const minimum = minimumAmount[currency];
  if (minimum !== undefined && amount < minimum) {
    throw invalidParam("amount", `Amount must be at least ${minimum} (minor units) ${currency}`, "amount_too_small");
  }
  if (amount > maximumAmount) throw invalidParam("amount", `Amount must be no more than ${maximumAmount} (minor units) ${currency}`, "amount_too_large");
}

/** What charging this saved card does: the test card's behaviour (by its fingerprint's number). */
function chargeOutcome(method: PaymentMethodObject): ChargeOutcome {
  return testCardByFingerprint(method.card.fingerprint)?.charge ?? { kind: "succeeds" };
}

function settle(intent: PaymentIntentObject, charge: ChargeObject): void {
  intent.status = "succeeded";
  intent.amount_received = intent.amount;
  intent.latest_charge = charge.id;
}

function checkedCurrency(items: LineItemInput[]): string {
  const first = items[0];
  if (!first) throw invalidParam("line_items", "line_items must contain at least one item.");
  for (const [i, item] of items.entries()) {
    if (item.currency !== first.currency) {
      throw invalidParam(`line_items[${i}][price_data][currency]`, "All line items in a Checkout Session must use the same currency.");
    }
  }
  return first.currency;
}

/** The email Checkout would have collected: the prefilled one, the customer's, or a test one. */
function checkoutEmail(session: SessionObject, customer: CustomerObject | undefined): string {
  return session.customer_email ?? customer?.email ?? "customer@example.com";
}
