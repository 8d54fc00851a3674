import { cardFromFields } from "./api-params";
import { invalidParam, StripeApiError } from "./errors";
import type { CardInput } from "./factories";
import { parseParams, type Param } from "./form";
import { json, Router, type EmulatorRequest, type Reply } from "./http";
import type { EmulatorState } from "./state";
import type { WebhookDispatcher } from "./webhooks";

/**
 * `/_emulator/…`: JSON endpoints for tests and development (not part of Stripe's API).
 * Bodies may be JSON or form-encoded. Errors use the same `{ error: {…} }` shape as `/v1`.
 */
export function createControlHandler(state: EmulatorState, webhooks: WebhookDispatcher, reset: () => void): (request: EmulatorRequest) => Promise<Reply> {
  const sessionAction = (act: (id: string) => unknown) => (_request: EmulatorRequest, [id = ""]: string[]) => json(200, act(id));
  const router = new Router()
    .on("GET", /^\/_emulator\/?$/, () => json(200, summary(state, webhooks)))
    .on("GET", /^\/_emulator\/events$/, (request) => {
      const type = request.query.get("type");
      const sessionId = request.query.get("session");
      const events = state.events.filter(
        (event) => (!type || event.type === type) && (!sessionId || event.data.object.id === sessionId),
      );
      return json(200, { data: events });
    })
    .on("GET", /^\/_emulator\/events\/([^/]+)$/, (_request, [id = ""]) => json(200, state.eventOrThrow(id)))
    .on("POST", /^\/_emulator\/events\/([^/]+)\/redeliver$/, (_request, [id = ""]) => {
      webhooks.redeliver(state.eventOrThrow(id));
      return json(202, { event_id: id, redelivering: true });
    })
    .on("POST", /^\/_emulator\/deliver$/, async (request) => {
      const ids = stringList(bodyOf(request).ids, "ids");
      const events = ids.map((id) => state.eventOrThrow(id));
      return json(200, { data: await webhooks.deliverInOrder(events) });
    })
    .on("GET", /^\/_emulator\/deliveries$/, (request) => {
      const eventId = request.query.get("event_id");
      return json(200, { data: webhooks.log.filter((attempt) => !eventId || attempt.event_id === eventId) });
    })
    .on("POST", /^\/_emulator\/webhooks$/, (request) => {
      const body = bodyOf(request);
      const autoDeliver = body.auto_deliver === undefined ? undefined : parseBoolean(body.auto_deliver, "auto_deliver");
      const url = body.url === undefined ? undefined : validUrl(body.url);
      webhooks.configure({ url, autoDeliver });
      return json(200, summary(state, webhooks).webhooks);
    })
    .on("GET", /^\/_emulator\/checkout\/sessions$/, () => json(200, { data: [...state.sessions.values()].reverse() }))
    .on("POST", /^\/_emulator\/checkout\/sessions\/([^/]+)\/pay$/, sessionAction((id) => state.pay(id)))
    .on("POST", /^\/_emulator\/checkout\/sessions\/([^/]+)\/decline$/, sessionAction((id) => state.decline(id)))
    .on("POST", /^\/_emulator\/checkout\/sessions\/([^/]+)\/pay-async$/, sessionAction((id) => state.payAsync(id)))
    .on("POST", /^\/_emulator\/checkout\/sessions\/([^/]+)\/async-succeed$/, sessionAction((id) => state.asyncSucceed(id)))
    .on("POST", /^\/_emulator\/checkout\/sessions\/([^/]+)\/async-fail$/, sessionAction((id) => state.asyncFail(id)))
    .on("POST", /^\/_emulator\/checkout\/sessions\/([^/]+)\/expire$/, sessionAction((id) => state.expireSession(id)))
    .on("POST", /^\/_emulator\/checkout\/sessions\/([^/]+)\/setup$/, (request, [id = ""]) => json(200, state.completeSetup(id, cardOf(bodyOf(request), state.now()))))
    .on("GET", /^\/_emulator\/customers\/([^/]+)\/payment_methods$/, (_request, [id = ""]) => {
      state.customerOrThrow(id);
      return json(200, { data: state.customerPaymentMethods(id) });
    })
    .on("POST", /^\/_emulator\/customers\/([^/]+)\/payment_methods$/, (request, [id = ""]) => json(200, state.saveCard(id, cardOf(bodyOf(request), state.now()))))
    .on("GET", /^\/_emulator\/payment_intents$/, (request) => {
      const customer = request.query.get("customer");
      return json(200, { data: [...state.paymentIntents.values()].filter((intent) => !customer || intent.customer === customer).reverse() });
    })
    .on("POST", /^\/_emulator\/refund$/, (request) => {
      const body = bodyOf(request);
      const amount = body.amount === undefined ? undefined : Number(body.amount);
      if (amount !== undefined && !Number.isSafeInteger(amount)) throw invalidParam("amount", "amount must be an integer");
      const paymentIntent = typeof body.payment_intent === "string" ? body.payment_intent : undefined;
      const charge = typeof body.charge === "string" ? body.charge : undefined;
      return json(200, state.refund({ paymentIntent, charge, amount, reason: null, metadata: {} }));
    })
    .on("POST", /^\/_emulator\/clock\/advance$/, (request) => {
      const seconds = Number(bodyOf(request).seconds);
      return json(200, { now: state.advanceClock(seconds) });
    })
    .on("POST", /^\/_emulator\/reset$/, () => {
      reset();
      return json(200, { reset: true });
    });

  return async (request) => {
    const found = router.match(request.method, request.path);
    if (!found) return json(404, new StripeApiError(404, "invalid_request_error", `Unknown emulator endpoint ${request.method} ${request.path}`));
    try {
      return await found.handler(request, found.params);
    } catch (error) {
      if (error instanceof StripeApiError) return json(error.status, error);
      throw error;
    }
  };
}

function summary(state: EmulatorState, webhooks: WebhookDispatcher) {
  return {
    now: state.now(),
    webhooks: { url: webhooks.url, auto_deliver: webhooks.autoDeliver, held_event_ids: webhooks.heldEventIds() },
    counts: {
      checkout_sessions: state.sessions.size,
      payment_intents: state.paymentIntents.size,
      charges: state.charges.size,
      refunds: state.refunds.size,
      customers: state.customers.size,
      payment_methods: state.paymentMethods.size,
      setup_intents: state.setupIntents.size,
      events: state.events.length,
      delivery_attempts: webhooks.log.length,
    },
  };
}

type Body = Record<string, unknown>;

function bodyOf(request: EmulatorRequest): Body {
  const text = request.body.trim();
  if (text === "") return {};
  if (text.startsWith("{")) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as Body;
    } catch {
      // fall through to the error below
    }
    throw new StripeApiError(400, "invalid_request_error", "Request body is not a JSON object.");
  }
  return parseParams(text) as Record<string, Param>;
}

/**
 * `{ "card_number"?, "exp_month"?, "exp_year"?, "cvc"? }`: a test card, checked like the
 * hosted form checks it. Defaults: 4242 4242 4242 4242, December five years ahead.
 */
export function cardOf(body: Body, nowSeconds: number): CardInput {
  const text = (value: unknown, name: string): string | undefined => {
    if (value === undefined) return undefined;
    if (typeof value === "string" || typeof value === "number") return String(value);
    throw invalidParam(name, `${name} must be a string`);
  };
  const now = new Date(nowSeconds * 1000);
  return cardFromFields(
    {
      number: text(body.card_number, "card_number") ?? "4242424242424242",
      expMonth: Number(text(body.exp_month, "exp_month") ?? 12),
      expYear: Number(text(body.exp_year, "exp_year") ?? now.getUTCFullYear() + 5),
      cvc: text(body.cvc, "cvc"),
    },
    now,
  );
}

function stringList(value: unknown, name: string): string[] {
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
    throw invalidParam(name, `${name} must be a list of event ids`);
  }
  return value as string[];
}

function parseBoolean(value: unknown, name: string): boolean {
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  throw invalidParam(name, `${name} must be true or false`);
}

function validUrl(value: unknown): string {
  if (typeof value === "string") {
    try {
      return new URL(value).toString();
    } catch {
      // fall through
    }
  }
  throw invalidParam("url", "url must be an absolute URL");
}
