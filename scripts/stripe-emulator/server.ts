import http from "node:http";
import type { AddressInfo } from "node:net";
import { createApiHandler } from "./api-routes";
import { checkoutPage } from "./checkout-page";
import { createControlHandler } from "./control-routes";
import { BodyTooLargeError, json, readRequest, writeReply, type EmulatorRequest, type Reply } from "./http";
import { cardOf } from "./control-routes";
import type { EventObject, PaymentIntentObject, PaymentMethodObject, RefundObject, SessionObject } from "./objects";
import { loadStateFile, saveStateFile } from "./persistence";
import { EmulatorState } from "./state";
import { WebhookDispatcher, type DeliveryAttempt } from "./webhooks";

export type { DeliveryAttempt } from "./webhooks";
export type { EventObject, EventType, PaymentIntentObject, PaymentMethodObject, RefundObject, SessionObject, SetupIntentObject } from "./objects";

/** A Stripe test card as typed on the setup page (defaults: 4242…, 12 / five years ahead). */
export interface TestCardDetails {
  number?: string;
  expMonth?: number;
  expYear?: number;
  cvc?: string;
}

export interface StripeEmulatorOptions {
  /** 0 or omitted: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Where events are POSTed (the app's Stripe webhook route). */
  webhookUrl: string;
  /** The `whsec_…` secret the app verifies `Stripe-Signature` with. */
  webhookSecret: string;
  /** Delivery attempts per event (default 8) and the first retry delay (default 200 ms, doubling). */
  retry?: { attempts?: number; baseDelayMs?: number };
  /**
   * A JSON file that keeps the sessions, payments, customers, events and clock across
   * restarts: loaded at start when it exists, rewritten (atomically) after every change.
   * Omitted: state in memory only (tests). Idempotency keys are kept too; the delivery log is not.
   */
  stateFile?: string;
}

/**
 * A running emulator. Every method mirrors a `/_emulator/…` control endpoint and returns
 * copies, so callers cannot change the emulator's state by mutating results.
 */
export interface StripeEmulator {
  /** Base URL, e.g. `http://127.0.0.1:12111`: the SDK's host/port, and the hosted pages. */
  url: string;
  port: number;
  close(): Promise<void>;
  /** Emitted events, oldest first, optionally of one type. */
  events(type?: string): EventObject[];
  /** Delivery attempts, oldest first, optionally for one event. */
  deliveries(eventId?: string): DeliveryAttempt[];
  pay(sessionId: string): SessionObject;
  decline(sessionId: string): SessionObject;
  payAsync(sessionId: string): SessionObject;
  asyncSucceed(sessionId: string): SessionObject;
  asyncFail(sessionId: string): SessionObject;
  expire(sessionId: string): SessionObject;
  /** What the setup page's "Save card" does, for a `mode: "setup"` session (default card 4242…). */
  completeSetup(sessionId: string, card?: TestCardDetails): SessionObject;
  /** Saves a test card to a customer as if added on the setup page; returns the PaymentMethod. */
  saveCard(customerId: string, card?: TestCardDetails): PaymentMethodObject;
  /** A customer's saved PaymentMethods, newest first. */
  paymentMethods(customerId: string): PaymentMethodObject[];
  /** Payment intents, newest first, optionally of one customer. */
  paymentIntents(customerId?: string): PaymentIntentObject[];
  refund(input: { payment_intent: string; amount?: number }): RefundObject;
  /** Sends an event again, with retries, in the background. */
  redeliver(eventId: string): void;
  /** Sends the events in this order, once each, each after the previous one was answered. */
  deliver(eventIds: string[]): Promise<DeliveryAttempt[]>;
  /** Changes the webhook URL, or pauses (`autoDeliver: false`) / resumes automatic delivery. */
  configureWebhooks(changes: { url?: string; autoDeliver?: boolean }): void;
  /** Moves the emulator's clock forward; sessions past `expires_at` expire. Returns the new time. */
  advanceClock(seconds: number): number;
  /** Resolves when no delivery (or retry) is pending. */
  webhooksIdle(): Promise<void>;
  /** Forgets every object, event, delivery and idempotency key. */
  reset(): void;
}

const sweepIntervalMs = 1000;
const webhookTimeoutMs = 10_000;

/**
 * Starts the emulator (plain `node:http`; state in memory, or also in `stateFile`) and
 * resolves once it listens. A state file that cannot be read rejects before listening.
 */
export async function startStripeEmulator(options: StripeEmulatorOptions): Promise<StripeEmulator> {
  const host = options.host ?? "127.0.0.1";
  const saved = options.stateFile ? loadStateFile(options.stateFile) : undefined;
  let baseUrl = "";
  const webhooks = new WebhookDispatcher({
    url: new URL(options.webhookUrl).toString(),
    secret: options.webhookSecret,
    attempts: Math.max(1, options.retry?.attempts ?? 8),
    baseDelayMs: Math.max(0, options.retry?.baseDelayMs ?? 200),
    autoDeliver: true,
    timeoutMs: webhookTimeoutMs,
  });
  const state = new EmulatorState(() => baseUrl, (event) => webhooks.dispatch(event));
  const api = createApiHandler(state);
  const reset = () => {
    state.reset();
    webhooks.clear();
    api.reset();
  };
  const control = createControlHandler(state, webhooks, reset);

  let savedRevision = state.revision;
  /** Writes the state file if anything changed since the last write (no file: nothing). */
  const persist = () => {
    if (!options.stateFile || state.revision === savedRevision) return;
    try {
      saveStateFile(options.stateFile, { ...state.snapshot(), idempotency_keys: api.idempotency.entries() });
      savedRevision = state.revision;
    } catch (error) {
      // The emulator keeps serving from memory; the next change tries again.
      console.error(`Stripe emulator: could not save ${options.stateFile}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  /** A state change made through the returned API (tests, fixtures): saved before returning. */
  const saving =
    <A extends unknown[], R>(change: (...args: A) => R) =>
    (...args: A): R => {
      try {
        return change(...args);
      } finally {
        persist();
      }
    };

  const dispatch = async (request: EmulatorRequest): Promise<Reply> => {
    state.expireDueSessions();
    if (request.path.startsWith("/v1/")) return api.handle(request);
    if (request.path.startsWith("/_emulator")) return control(request);
    const page = /^\/checkout\/([^/]+)(?:\/(pay|decline|setup|cancel))?$/.exec(request.path);
    if (page?.[1]) return checkoutPage(state, request, decodeURIComponent(page[1]), page[2]);
    if (request.path === "/" && request.method === "GET") {
      return json(200, { name: "drawdown-stripe-emulator", api: `${baseUrl}/v1`, control: `${baseUrl}/_emulator` });
    }
    return json(404, { error: { type: "invalid_request_error", message: `Unrecognized request URL (${request.method}: ${request.path}).` } });
  };

  const server = http.createServer((incoming, response) => {
    readRequest(incoming)
      .then(dispatch)
      .catch((error: unknown) => {
        if (error instanceof BodyTooLargeError) return json(413, { error: { type: "invalid_request_error", message: error.message } });
        const message = error instanceof Error ? error.message : String(error);
        return json(500, { error: { type: "api_error", message: `Stripe emulator internal error: ${message}` } });
      })
      .then((reply) => {
        // Saved before the answer leaves: what a client was told survives a restart.
        persist();
        writeReply(response, reply);
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  baseUrl = `http://${urlHost}:${port}`;
  // Before any request is read (those wait for the next turn of the event loop).
  if (saved) {
    state.restore(saved);
    api.idempotency.load(saved.idempotency_keys ?? {});
    savedRevision = state.revision;
  }

  const sweeper = setInterval(() => {
    state.expireDueSessions();
    persist();
  }, sweepIntervalMs);
  sweeper.unref();
  const copy = <T>(value: T): T => structuredClone(value);

  return {
    url: baseUrl,
    port,
    async close() {
      clearInterval(sweeper);
      persist();
      webhooks.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
    events: (type) => copy(state.events.filter((event) => !type || event.type === type)),
    deliveries: (eventId) => copy(webhooks.log.filter((attempt) => !eventId || attempt.event_id === eventId)),
    pay: saving((id) => copy(state.pay(id))),
    decline: saving((id) => copy(state.decline(id))),
    payAsync: saving((id) => copy(state.payAsync(id))),
    asyncSucceed: saving((id) => copy(state.asyncSucceed(id))),
    asyncFail: saving((id) => copy(state.asyncFail(id))),
    expire: saving((id) => copy(state.expireSession(id))),
    completeSetup: saving((id, card) => copy(state.completeSetup(id, cardOf(cardBody(card), state.now())))),
    saveCard: saving((customerId, card) => copy(state.saveCard(customerId, cardOf(cardBody(card), state.now())))),
    paymentMethods: (customerId) => copy(state.customerPaymentMethods(customerId)),
    paymentIntents: (customerId) => copy([...state.paymentIntents.values()].filter((intent) => !customerId || intent.customer === customerId).reverse()),
    refund: saving(({ payment_intent, amount }) => copy(state.refund({ paymentIntent: payment_intent, amount, reason: null, metadata: {} }))),
    redeliver: (eventId) => webhooks.redeliver(state.eventOrThrow(eventId)),
    deliver: async (eventIds) => copy(await webhooks.deliverInOrder(eventIds.map((id) => state.eventOrThrow(id)))),
    configureWebhooks: (changes) => webhooks.configure(changes),
    advanceClock: saving((seconds) => state.advanceClock(seconds)),
    webhooksIdle: () => webhooks.idle(),
    reset: saving(reset),
  };
}

function cardBody(card: TestCardDetails | undefined): Record<string, unknown> {
  return { card_number: card?.number, exp_month: card?.expMonth, exp_year: card?.expYear, cvc: card?.cvc };
}
