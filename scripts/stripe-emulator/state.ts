import { invalidParam, invalidState, noSuch, StripeApiError } from "./errors";
import {
  customerDetails,
  newCharge,
  newCustomer,
  newLineItem,
  newPaymentIntent,
  newRefund,
  newSession,
  type CreateCustomerInput,
  type CreateRefundInput,
  type CreateSessionInput,
  type LineItemInput,
} from "./factories";
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
  type RefundObject,
  type SessionObject,
  type StripeObject,
} from "./objects";

/** The state file's content: version 1. Maps are objects keyed by session id. */
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
  readonly events: EventObject[] = [];
  private readonly paymentIntentMetadata = new Map<string, Metadata>();
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
      payment_intent_metadata: Object.fromEntries(this.paymentIntentMetadata),
      payment_intents: [...this.paymentIntents.values()],
      charges: [...this.charges.values()],
      refunds: [...this.refunds.values()],
      customers: [...this.customers.values()],
      events: this.events,
    };
  }

  /** Replaces everything with a snapshot taken by `snapshot()` (a copy: nothing is shared). */
  restore(saved: StateSnapshot): void {
    this.reset();
    const copy = structuredClone(saved);
    this.clockOffsetSeconds = copy.clock_offset_seconds;
    for (const session of copy.sessions) this.sessions.set(session.id, session);
    for (const [id, items] of Object.entries(copy.line_items)) this.lineItems.set(id, items);
    for (const [id, metadata] of Object.entries(copy.payment_intent_metadata)) this.paymentIntentMetadata.set(id, metadata);
    for (const intent of copy.payment_intents) this.paymentIntents.set(intent.id, intent);
    for (const charge of copy.charges) this.charges.set(charge.id, charge);
    for (const refund of copy.refunds) this.refunds.set(refund.id, refund);
    for (const customer of copy.customers) this.customers.set(customer.id, customer);
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
    for (const map of [this.sessions, this.lineItems, this.paymentIntents, this.charges, this.refunds, this.customers, this.paymentIntentMetadata]) {
      map.clear();
    }
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

  /** Validates what Stripe validates at creation and opens a session in `payment` mode. */
  createSession(input: CreateSessionInput): SessionObject {
    const now = this.now();
    const currency = checkedCurrency(input.lineItems);
    const amountTotal = input.lineItems.reduce((sum, item) => sum + item.unitAmount * item.quantity, 0);
    const minimum = minimumAmount[currency];
    if (minimum !== undefined && amountTotal < minimum) {
      throw new StripeApiError(400, "invalid_request_error", `The Checkout Session's total amount due must add up to at least ${minimum} (minor units) ${currency}`, undefined, "amount_too_small");
    }
    if (amountTotal > maximumAmount) {
      throw new StripeApiError(400, "invalid_request_error", `The Checkout Session's total amount due must be no more than ${maximumAmount} (minor units) ${currency}`, undefined, "amount_too_large");
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
    this.paymentIntentMetadata.set(id, input.paymentIntentMetadata);
    this.changes++;
    return session;
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

  /** Any stored object by id, for `expand[]`. */
  findObject(id: string): StripeObject | undefined {
    return this.sessions.get(id) ?? this.paymentIntents.get(id) ?? this.charges.get(id) ?? this.refunds.get(id) ?? this.customers.get(id);
  }

  private completeSession(sessionId: string, paymentStatus: "succeeded" | "processing"): SessionObject {
    this.expireDueSessions();
    const session = this.sessionOrThrow(sessionId);
    if (session.status !== "open") {
      throw invalidState(`This Checkout Session is no longer open (status "${session.status}").`, undefined, "checkout_session_not_open");
    }
    if (!session.customer && session.customer_creation === "always") {
      session.customer = this.createCustomer({ email: checkoutEmail(session, undefined), metadata: {} }).id;
    }
    const customer = session.customer ? this.customers.get(session.customer) : undefined;
    const intent = newPaymentIntent(session, this.paymentIntentMetadata.get(session.id) ?? {}, this.now());
    this.paymentIntents.set(intent.id, intent);
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
