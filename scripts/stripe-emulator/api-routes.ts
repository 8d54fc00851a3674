import {
  parseAttachPaymentMethod,
  parseConfirmPaymentIntent,
  parseCreateCustomer,
  parseCreatePaymentIntent,
  parseCreatePaymentMethod,
  parseCreateRefund,
  parseCreateSession,
  parseListParams,
  parseUpdateCustomer,
} from "./api-params";
import { invalidParam, noSuch, StripeApiError } from "./errors";
import { assertKnownParams, expandPaths, optionalString, parseParams, type Params } from "./form";
import { header, json, type EmulatorRequest, type Reply } from "./http";
import { IdempotencyStore } from "./idempotency";
import { apiVersion, stripeId, type StripeObject } from "./objects";
import type { EmulatorState, RequestContext } from "./state";

/** What an API handler gets: parsed parameters, path captures, and the request's identity. */
interface ApiCall {
  params: Params;
  ids: string[];
  request: RequestContext;
}
type ApiHandler = (call: ApiCall) => { status?: number; body: unknown };
type Route = { method: "GET" | "POST"; pattern: RegExp; handler: ApiHandler };

/**
 * The `/v1` Stripe API subset: authentication by any secret key, form-encoded parameters,
 * `Idempotency-Key` on POST, `expand[]`, Stripe-shaped objects, lists and errors.
 */
export function createApiHandler(state: EmulatorState): { handle(request: EmulatorRequest): Reply; reset(): void; idempotency: IdempotencyStore } {
  const idempotency = new IdempotencyStore();
  const routes = apiRoutes(state);

  function handle(request: EmulatorRequest): Reply {
    const requestId = stripeId("req", 14);
    const headers = { "Request-Id": requestId, "Stripe-Version": header(request, "stripe-version") ?? apiVersion };
    const fail = (error: StripeApiError): Reply => json(error.status, error, headers);
    const apiKey = apiKeyOf(request);
    if (!apiKey) {
      return fail(new StripeApiError(401, "invalid_request_error", "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY')."));
    }
    const idempotencyKey = request.method === "POST" ? (header(request, "idempotency-key") ?? null) : null;
    try {
      const params = parseParams(request.method === "GET" ? request.rawQuery : request.body);
      if (idempotencyKey) {
        const replayed = idempotency.replay(apiKey, idempotencyKey, request.method, request.path, params);
        if (replayed) return { ...replayed, headers: { ...replayed.headers, "Request-Id": requestId } };
      }
      const reply = route(routes, request, params, { id: requestId, idempotencyKey }, headers);
      if (idempotencyKey) idempotency.save(apiKey, idempotencyKey, request.method, request.path, params, reply, requestId);
      return idempotencyKey ? { ...reply, headers: { ...reply.headers, "Idempotency-Key": idempotencyKey } } : reply;
    } catch (error) {
      if (error instanceof StripeApiError) return fail(error);
      const message = error instanceof Error ? error.message : String(error);
      return fail(new StripeApiError(500, "api_error", `Stripe emulator internal error: ${message}`));
    }
  }

  return { handle, reset: () => idempotency.clear(), idempotency };
}

function route(routes: Route[], request: EmulatorRequest, params: Params, context: RequestContext, headers: Record<string, string>): Reply {
  for (const candidate of routes) {
    if (candidate.method !== request.method) continue;
    const found = candidate.pattern.exec(request.path);
    if (!found) continue;
    try {
      const ids = found.slice(1).map((part) => decodeURIComponent(part));
      const { status = 200, body } = candidate.handler({ params, ids, request: context });
      return json(status, body, headers);
    } catch (error) {
      if (error instanceof StripeApiError) return json(error.status, error, headers);
      throw error;
    }
  }
  throw new StripeApiError(404, "invalid_request_error", `Unrecognized request URL (${request.method}: ${request.path}). The Stripe emulator serves a subset of the API: see scripts/stripe-emulator/README.md.`);
}

function apiRoutes(state: EmulatorState): Route[] {
  const withExpand = (object: StripeObject, params: Params) => expandObject(state, object, expandPaths(params));
  const id = (call: ApiCall) => call.ids[0] ?? "";
  const get = (pattern: RegExp, handler: ApiHandler): Route => ({ method: "GET", pattern, handler });
  const post = (pattern: RegExp, handler: ApiHandler): Route => ({ method: "POST", pattern, handler });
  const retrieve = (lookup: (id: string) => StripeObject) => (call: ApiCall) => ({ body: withExpand(lookup(id(call)), call.params) });
  const customerCards = (call: ApiCall, customerId: string, url: string) => {
    const list = parseListParams(call.params, ["type", "customer"]);
    const type = optionalString(call.params, "type");
    return { body: listObject(state.customerPaymentMethods(customerId, type), url, list, (m) => withExpand(m, call.params)) };
  };

  return [
    post(/^\/v1\/checkout\/sessions$/, (call) => {
      state.expireDueSessions();
      return { body: withExpand(state.createSession(parseCreateSession(call.params)), call.params) };
    }),
    get(/^\/v1\/checkout\/sessions$/, ({ params }) => {
      const list = parseListParams(params, ["payment_intent", "customer", "status", "setup_intent"]);
      const filters = {
        payment_intent: optionalString(params, "payment_intent"),
        customer: optionalString(params, "customer"),
        status: optionalString(params, "status"),
        setup_intent: optionalString(params, "setup_intent"),
      };
      const sessions = [...state.sessions.values()].filter((session) =>
        Object.entries(filters).every(([key, value]) => value === undefined || session[key as keyof typeof filters] === value),
      );
      return { body: listObject(sessions.reverse(), "/v1/checkout/sessions", list, (s) => withExpand(s, params)) };
    }),
    get(/^\/v1\/checkout\/sessions\/([^/]+)$/, retrieve((sessionId) => state.sessionOrThrow(sessionId))),
    get(/^\/v1\/checkout\/sessions\/([^/]+)\/line_items$/, (call) => {
      state.sessionOrThrow(id(call));
      const list = parseListParams(call.params, []);
      return { body: listObject(state.lineItems.get(id(call)) ?? [], `/v1/checkout/sessions/${id(call)}/line_items`, list, (item) => item) };
    }),
    post(/^\/v1\/checkout\/sessions\/([^/]+)\/expire$/, (call) => ({
      body: withExpand(state.expireSession(id(call), call.request), call.params),
    })),
    post(/^\/v1\/customers$/, (call) => ({ body: withExpand(state.createCustomer(parseCreateCustomer(call.params)), call.params) })),
    get(/^\/v1\/customers$/, ({ params }) => {
      const list = parseListParams(params, ["email"]);
      const email = optionalString(params, "email");
      const customers = [...state.customers.values()].filter((customer) => email === undefined || customer.email === email);
      return { body: listObject(customers.reverse(), "/v1/customers", list, (c) => withExpand(c, params)) };
    }),
    get(/^\/v1\/customers\/([^/]+)$/, retrieve((customerId) => state.customerOrThrow(customerId, "id"))),
    post(/^\/v1\/customers\/([^/]+)$/, (call) => ({ body: withExpand(state.updateCustomer(id(call), parseUpdateCustomer(call.params), call.request), call.params) })),
    get(/^\/v1\/customers\/([^/]+)\/payment_methods$/, (call) => {
      state.customerOrThrow(id(call), "customer");
      return customerCards(call, id(call), `/v1/customers/${id(call)}/payment_methods`);
    }),
    get(/^\/v1\/customers\/([^/]+)\/payment_methods\/([^/]+)$/, (call) => {
      const customerId = id(call);
      state.customerOrThrow(customerId, "customer");
      const method = state.paymentMethodOrThrow(call.ids[1] ?? "");
      if (method.customer !== customerId) throw noSuch("PaymentMethod", method.id, "payment_method");
      return { body: withExpand(method, call.params) };
    }),
    post(/^\/v1\/payment_methods$/, (call) => ({ body: withExpand(state.createCustomerPaymentMethod(parseCreatePaymentMethod(call.params)), call.params) })),
    get(/^\/v1\/payment_methods$/, (call) => {
      // Stripe lists a customer's PaymentMethods here (`customer` is required for that).
      const customerId = optionalString(call.params, "customer");
      if (!customerId) throw invalidParam("customer", "The Stripe emulator lists PaymentMethods of one customer: pass `customer`.", "parameter_missing");
      state.customerOrThrow(customerId, "customer", 400);
      return customerCards(call, customerId, "/v1/payment_methods");
    }),
    get(/^\/v1\/payment_methods\/([^/]+)$/, retrieve((methodId) => state.paymentMethodOrThrow(methodId))),
    post(/^\/v1\/payment_methods\/([^/]+)\/attach$/, (call) => ({
      body: withExpand(state.attachPaymentMethod(id(call), parseAttachPaymentMethod(call.params), call.request), call.params),
    })),
    post(/^\/v1\/payment_methods\/([^/]+)\/detach$/, (call) => {
      assertKnownParams(call.params, ["expand"]);
      return { body: withExpand(state.detachPaymentMethod(id(call), call.request), call.params) };
    }),
    get(/^\/v1\/setup_intents\/([^/]+)$/, retrieve((intentId) => state.setupIntentOrThrow(intentId))),
    post(/^\/v1\/payment_intents$/, (call) => ({ body: withExpand(state.createPaymentIntent(parseCreatePaymentIntent(call.params), call.request), call.params) })),
    post(/^\/v1\/payment_intents\/([^/]+)\/confirm$/, (call) => ({
      body: withExpand(state.confirmPaymentIntent(id(call), parseConfirmPaymentIntent(call.params), call.request), call.params),
    })),
    get(/^\/v1\/payment_intents$/, ({ params }) => {
      const list = parseListParams(params, ["customer"]);
      const customer = optionalString(params, "customer");
      const intents = [...state.paymentIntents.values()].filter((intent) => customer === undefined || intent.customer === customer);
      return { body: listObject(intents.reverse(), "/v1/payment_intents", list, (intent) => withExpand(intent, params)) };
    }),
    get(/^\/v1\/payment_intents\/([^/]+)$/, retrieve((intentId) => state.paymentIntentOrThrow(intentId))),
    get(/^\/v1\/charges\/([^/]+)$/, retrieve((chargeId) => state.chargeOrThrow(chargeId))),
    post(/^\/v1\/refunds$/, (call) => ({ body: withExpand(state.refund(parseCreateRefund(call.params), call.request), call.params) })),
    get(/^\/v1\/refunds\/([^/]+)$/, retrieve((refundId) => state.refundOrThrow(refundId))),
    get(/^\/v1\/events\/([^/]+)$/, (call) => ({ body: state.eventOrThrow(id(call)) })),
    get(/^\/v1\/events$/, ({ params }) => {
      const list = parseListParams(params, ["type"]);
      const type = optionalString(params, "type");
      const events = state.events.filter((event) => type === undefined || event.type === type);
      return { body: listObject([...events].reverse(), "/v1/events", list, (event) => event) };
    }),
  ];
}

function apiKeyOf(request: EmulatorRequest): string | undefined {
  const authorization = header(request, "authorization") ?? "";
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (bearer) return bearer[1];
  const basic = /^Basic\s+(\S+)$/i.exec(authorization);
  if (basic?.[1]) return Buffer.from(basic[1], "base64").toString("utf8").split(":")[0] || undefined;
  return undefined;
}

/** Stripe's list envelope, newest first, with `starting_after` paging. */
function listObject<T extends { id: string }>(items: T[], url: string, page: { limit: number; startingAfter?: string }, present: (item: T) => unknown) {
  let start = 0;
  if (page.startingAfter) {
    const index = items.findIndex((item) => item.id === page.startingAfter);
    if (index < 0) throw invalidParam("starting_after", `No such object: '${page.startingAfter}'`, "resource_missing");
    start = index + 1;
  }
  const slice = items.slice(start, start + page.limit);
  return { object: "list", data: slice.map(present), has_more: start + page.limit < items.length, url };
}

/**
 * `expand[]=payment_intent`, `expand[]=payment_intent.latest_charge`, `expand[]=line_items`:
 * replaces an id with a copy of the object (recursively along the dotted path).
 */
function expandObject(state: EmulatorState, object: StripeObject, paths: string[]): unknown {
  const copy = structuredClone(object) as unknown as Record<string, unknown>;
  paths.forEach((path, index) => expandPath(state, copy, path.split("."), `expand[${index}]`, path));
  return copy;
}

function expandPath(state: EmulatorState, target: Record<string, unknown>, segments: string[], param: string, path: string): void {
  const [field, ...rest] = segments;
  if (field === undefined) return;
  if (field === "line_items" && target.object === "checkout.session") {
    const sessionId = String(target.id);
    target.line_items = listObject(state.lineItems.get(sessionId) ?? [], `/v1/checkout/sessions/${sessionId}/line_items`, { limit: 100 }, (item) => item);
    return;
  }
  if (!(field in target)) throw invalidParam(param, `This property cannot be expanded (${path}).`);
  let value = target[field];
  if (typeof value === "string") {
    const found = state.findObject(value);
    if (!found) throw invalidParam(param, `This property cannot be expanded (${path}).`);
    value = target[field] = structuredClone(found);
  }
  if (rest.length > 0 && value && typeof value === "object") expandPath(state, value as Record<string, unknown>, rest, param, path);
}
