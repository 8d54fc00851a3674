import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import Stripe from "stripe";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startStripeEmulator, type DeliveryAttempt, type RefundObject, type SessionObject, type StripeEmulator } from "./server";

/**
 * The emulator end to end: the real `stripe` SDK over real HTTP to the emulator, and a
 * real `node:http` receiver standing in for the app's webhook route. No mocks, no sleeps:
 * waits resolve on what the receiver observes, each with a bounded deadline.
 */

const webhookSecret = "whsec_emulator_test_suite_secret";
const retryBaseDelayMs = 20;
const retryAttempts = 4;

interface Received {
  body: string;
  signature: string | undefined;
  event: Stripe.Event;
}

/** A stand-in for the app's webhook route. `respond` decides each answer's status. */
class Receiver {
  readonly received: Received[] = [];
  respond: (event: Stripe.Event, nthForEvent: number) => number | Promise<number> = () => 200;
  private waiters: Array<() => void> = [];
  private server = http.createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (body += chunk));
    request.on("end", () => {
      const event = JSON.parse(body) as Stripe.Event;
      const signature = request.headers["stripe-signature"] as string | undefined;
      this.received.push({ body, signature, event });
      const nth = this.received.filter((r) => r.event.id === event.id).length;
      void Promise.resolve(this.respond(event, nth)).then((status) => {
        response.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify({ received: status < 300 }));
      });
      for (const wake of this.waiters) wake();
    });
  });
  url = "";

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/stripe/webhook`;
    return this;
  }

  /** Resolves with the matching deliveries once `predicate` holds; rejects after the deadline. */
  waitFor(predicate: (received: Received[]) => boolean, what: string, timeoutMs = 5000): Promise<Received[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!predicate(this.received)) return false;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve(this.received);
        return true;
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; received: ${this.received.map((r) => r.event.type).join(", ") || "nothing"}`));
      }, timeoutMs);
      if (!check()) this.waiters.push(check);
    });
  }

  async waitForEvent(type: string, objectId: string, count = 1): Promise<Received[]> {
    const matching = (all: Received[]) => all.filter((r) => r.event.type === type && (r.event.data.object as { id: string }).id === objectId);
    await this.waitFor((all) => matching(all).length >= count, `${count} × ${type} for ${objectId}`);
    return matching(this.received);
  }

  reset(): void {
    this.received.length = 0;
    this.respond = () => 200;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let emulator: StripeEmulator;
let receiver: Receiver;
let stripe: Stripe;

beforeAll(async () => {
  receiver = await new Receiver().start();
  emulator = await startStripeEmulator({
    webhookUrl: receiver.url,
    webhookSecret,
    retry: { attempts: retryAttempts, baseDelayMs: retryBaseDelayMs },
  });
  stripe = new Stripe("sk_test_emulator", { host: "127.0.0.1", port: emulator.port, protocol: "http", maxNetworkRetries: 0 });
});

afterEach(async () => {
  await emulator.webhooksIdle();
  emulator.configureWebhooks({ url: receiver.url, autoDeliver: true });
  emulator.reset();
  receiver.reset();
});

afterAll(async () => {
  await emulator?.close();
  await receiver?.close();
});

const nowSeconds = () => Math.floor(Date.now() / 1000);

function createTopUpSession(overrides: Partial<Stripe.Checkout.SessionCreateParams> = {}, options?: Stripe.RequestOptions) {
  return stripe.checkout.sessions.create(
    {
      mode: "payment",
      line_items: [{ price_data: { currency: "usd", unit_amount: 2000, product_data: { name: "Wallet top-up" } }, quantity: 1 }],
      success_url: "http://localhost:3000/top-ups/success?session_id={CHECKOUT_SESSION_ID}",
      cancel_url: "http://localhost:3000/top-ups/cancelled",
      metadata: { top_up_id: "top_123", customer_id: "cust_456" },
      payment_intent_data: { metadata: { top_up_id: "top_123" } },
      client_reference_id: "cust_456",
      expires_at: nowSeconds() + 3600,
      ...overrides,
    },
    options,
  );
}

/** Calls a `/_emulator` control endpoint; `T` is the JSON shape the test expects back. */
async function control<T = unknown>(path: string, body?: unknown): Promise<{ status: number; json: T }> {
  const response = await fetch(`${emulator.url}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as T };
}

/** Loads the hosted page and returns its HTML and the absolute action URL of a button's form. */
async function hostedPage(url: string): Promise<{ html: string; action: (button: "Pay" | "Decline") => string }> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  const html = await response.text();
  return {
    html,
    action: (button) => {
      const form = new RegExp(`<form method="post" action="([^"]+)"><button type="submit"[^>]*>${button}</button></form>`).exec(html);
      if (!form?.[1]) throw new Error(`no ${button} button on the page`);
      return new URL(form[1], url).toString();
    },
  };
}

function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

const submit = (action: string) => fetch(action, { method: "POST", redirect: "manual" });

describe("Checkout Sessions through the stripe SDK", () => {
  it("creates a session from nested form parameters and retrieves it", async () => {
    const expiresAt = nowSeconds() + 3600;
    const created = await createTopUpSession({ expires_at: expiresAt });

    expect(created.id).toMatch(/^cs_test_/);
    expect(created).toMatchObject({
      object: "checkout.session",
      status: "open",
      payment_status: "unpaid",
      amount_total: 2000,
      currency: "usd",
      metadata: { top_up_id: "top_123", customer_id: "cust_456" },
      client_reference_id: "cust_456",
      expires_at: expiresAt,
      payment_intent: null,
      livemode: false,
    });
    expect(created.url).toBe(`${emulator.url}/checkout/${created.id}`);

    const retrieved = await stripe.checkout.sessions.retrieve(created.id);
    expect({ ...retrieved, lastResponse: undefined }).toEqual({ ...created, lastResponse: undefined });
    const items = await stripe.checkout.sessions.listLineItems(created.id);
    expect(items.data).toMatchObject([{ description: "Wallet top-up", quantity: 1, amount_total: 2000, currency: "usd" }]);
  });

  it("answers Stripe-shaped errors the SDK maps to its error classes", async () => {
    const missing = await stripe.checkout.sessions.retrieve("cs_test_nope").catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(missing).toMatchObject({ statusCode: 404, code: "resource_missing", message: "No such checkout.session: 'cs_test_nope'" });

    const noItems = await stripe.checkout.sessions.create({ mode: "payment", success_url: "http://x.test/ok" }).catch((e: unknown) => e);
    expect(noItems).toMatchObject({ statusCode: 400, param: "line_items", code: "parameter_missing" });

    const tooSoon = await createTopUpSession({ expires_at: nowSeconds() + 60 }).catch((e: unknown) => e);
    expect(tooSoon).toMatchObject({ statusCode: 400, param: "expires_at" });

    const tooSmall = await createTopUpSession({
      line_items: [{ price_data: { currency: "usd", unit_amount: 10, product_data: { name: "x" } }, quantity: 1 }],
    }).catch((e: unknown) => e);
    expect(tooSmall).toMatchObject({ statusCode: 400, code: "amount_too_small" });

    const unknown = await createTopUpSession({ not_a_param: "x" } as Partial<Stripe.Checkout.SessionCreateParams>).catch((e: unknown) => e);
    expect(unknown).toMatchObject({ statusCode: 400, param: "not_a_param", code: "parameter_unknown" });

    const noCustomer = await createTopUpSession({ customer: "cus_missing" }).catch((e: unknown) => e);
    expect(noCustomer).toMatchObject({ statusCode: 400, param: "customer", code: "resource_missing" });

    const unauthenticated = await fetch(`${emulator.url}/v1/checkout/sessions/cs_test_x`);
    expect(unauthenticated.status).toBe(401);
    expect(await unauthenticated.json()).toMatchObject({ error: { type: "invalid_request_error" } });
  });

  it("replays an Idempotency-Key and refuses the key with other parameters", async () => {
    const first = await createTopUpSession({}, { idempotencyKey: "top-up-top_123" });
    const replay = await createTopUpSession({}, { idempotencyKey: "top-up-top_123" });
    expect(replay.id).toBe(first.id);
    expect(replay.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect((await control<{ data: SessionObject[] }>("/_emulator/checkout/sessions")).json.data).toHaveLength(1);

    const conflict = await createTopUpSession({ metadata: { top_up_id: "other" } }, { idempotencyKey: "top-up-top_123" }).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);

    const fresh = await createTopUpSession({}, { idempotencyKey: "top-up-top_124" });
    expect(fresh.id).not.toBe(first.id);
  });

  it("creates and retrieves customers and attaches them to sessions", async () => {
    const customer = await stripe.customers.create({ email: "walter@example.com", name: "Walter", metadata: { drawdown_customer: "cust_1" } });
    expect(customer).toMatchObject({ object: "customer", email: "walter@example.com", metadata: { drawdown_customer: "cust_1" } });
    expect(customer.id).toMatch(/^cus_/);
    expect((await stripe.customers.retrieve(customer.id)).id).toBe(customer.id);

    const session = await createTopUpSession({ customer: customer.id });
    emulator.pay(session.id);
    const paid = await stripe.checkout.sessions.retrieve(session.id, { expand: ["payment_intent", "customer"] });
    expect((paid.customer as Stripe.Customer).email).toBe("walter@example.com");
    expect((paid.payment_intent as Stripe.PaymentIntent).customer).toBe(customer.id);
  });
});

describe("hosted checkout page and webhooks", () => {
  it("Pay completes the session, redirects 303 to success_url and delivers a signed checkout.session.completed", async () => {
    const session = await createTopUpSession();
    const page = await hostedPage(session.url!);
    expect(page.html).toContain("$20.00 USD");
    expect(page.html).toContain(">Decline</button>");

    const response = await submit(page.action("Pay"));
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`http://localhost:3000/top-ups/success?session_id=${session.id}`);

    const [delivery] = await receiver.waitForEvent("checkout.session.completed", session.id);
    const event = stripe.webhooks.constructEvent(delivery!.body, delivery!.signature!, webhookSecret);
    expect(event).toMatchObject({ object: "event", type: "checkout.session.completed", livemode: false, api_version: Stripe.API_VERSION });
    expect(event.id).toMatch(/^evt_/);
    const completed = event.data.object as Stripe.Checkout.Session;
    expect(completed).toMatchObject({ id: session.id, status: "complete", payment_status: "paid", amount_total: 2000, metadata: { top_up_id: "top_123" } });
    expect(() => stripe.webhooks.constructEvent(delivery!.body, delivery!.signature!, "whsec_wrong")).toThrow(Stripe.errors.StripeSignatureVerificationError);

    const retrieved = await stripe.checkout.sessions.retrieve(session.id, { expand: ["payment_intent.latest_charge"] });
    const intent = retrieved.payment_intent as Stripe.PaymentIntent;
    expect(intent).toMatchObject({ status: "succeeded", amount: 2000, amount_received: 2000, currency: "usd", metadata: { top_up_id: "top_123" } });
    expect(intent.id).toMatch(/^pi_/);
    expect(intent.latest_charge).toMatchObject({ object: "charge", amount: 2000, paid: true, status: "succeeded", payment_intent: intent.id });
    expect((await stripe.paymentIntents.retrieve(intent.id)).status).toBe("succeeded");

    const again = await fetch(`${emulator.url}/checkout/${session.id}`).then((r) => r.text());
    expect(again).toContain("payment succeeded");
    expect(again).not.toContain(">Pay</button>");
  });

  it("delivers in the background: the browser's redirect does not wait for the app's answer", async () => {
    let release!: (status: number) => void;
    receiver.respond = () => new Promise<number>((resolve) => (release = resolve));
    const session = await createTopUpSession();
    const page = await hostedPage(session.url!);

    const redirect = submit(page.action("Pay"));
    await receiver.waitForEvent("checkout.session.completed", session.id);
    try {
      const response = await withDeadline(redirect, 5000, "the redirect while the app has not answered the webhook");
      expect(response.status).toBe(303);
      expect(emulator.deliveries()).toHaveLength(0); // the one attempt is still waiting for the app
    } finally {
      release(200);
    }
    await emulator.webhooksIdle();
    expect(emulator.deliveries().map((d) => d.status)).toEqual([200]);
  });

  it("Decline redirects to cancel_url and reports a completed-but-unpaid session, then async_payment_failed", async () => {
    const session = await createTopUpSession();
    const page = await hostedPage(session.url!);

    const response = await submit(page.action("Decline"));
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("http://localhost:3000/top-ups/cancelled");

    const [failed] = await receiver.waitForEvent("checkout.session.async_payment_failed", session.id);
    const event = stripe.webhooks.constructEvent(failed!.body, failed!.signature!, webhookSecret);
    expect(event.data.object).toMatchObject({ status: "complete", payment_status: "unpaid", metadata: { top_up_id: "top_123" } });
    expect(emulator.events().map((e) => e.type)).toEqual(["checkout.session.completed", "checkout.session.async_payment_failed"]);
    expect(emulator.events("checkout.session.completed")[0]!.data.object).toMatchObject({ payment_status: "unpaid" });

    const retrieved = await stripe.checkout.sessions.retrieve(session.id, { expand: ["payment_intent"] });
    expect(retrieved.payment_intent).toMatchObject({ status: "requires_payment_method", last_payment_error: { code: "card_declined" } });
  });

  it("expire emits checkout.session.expired and the page says the session expired", async () => {
    const session = await createTopUpSession();
    const expired = await stripe.checkout.sessions.expire(session.id);
    expect(expired).toMatchObject({ status: "expired", url: null, payment_status: "unpaid" });

    const [delivery] = await receiver.waitForEvent("checkout.session.expired", session.id);
    expect(delivery!.event.request).toMatchObject({ id: expect.stringMatching(/^req_/) });

    const page = await fetch(`${emulator.url}/checkout/${session.id}`).then((r) => r.text());
    expect(page).toContain("This checkout session has expired");
    expect(page).not.toContain(">Pay</button>");
    expect((await submit(`${emulator.url}/checkout/${session.id}/pay`)).status).toBe(409);
    await expect(stripe.checkout.sessions.expire(session.id)).rejects.toMatchObject({ statusCode: 400 });
  });

  it("expires open sessions on its own once expires_at has passed", async () => {
    const session = await createTopUpSession({ expires_at: nowSeconds() + 1800 });
    const { json } = await control<{ now: number }>("/_emulator/clock/advance", { seconds: 1801 });
    expect(json.now).toBeGreaterThanOrEqual(session.expires_at);
    await receiver.waitForEvent("checkout.session.expired", session.id);
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("expired");
  });

  it("delayed payments: pay-async completes unpaid, async-succeed pays", async () => {
    const session = await createTopUpSession();
    const pending = await control<SessionObject>(`/_emulator/checkout/sessions/${session.id}/pay-async`, {});
    expect(pending.json).toMatchObject({ status: "complete", payment_status: "unpaid" });
    const [completed] = await receiver.waitForEvent("checkout.session.completed", session.id);
    expect(completed!.event.data.object).toMatchObject({ payment_status: "unpaid" });
    expect((await stripe.paymentIntents.retrieve(pending.json.payment_intent!)).status).toBe("processing");

    const settled = await control<SessionObject>(`/_emulator/checkout/sessions/${session.id}/async-succeed`, {});
    expect(settled.json).toMatchObject({ payment_status: "paid" });
    const [succeeded] = await receiver.waitForEvent("checkout.session.async_payment_succeeded", session.id);
    stripe.webhooks.constructEvent(succeeded!.body, succeeded!.signature!, webhookSecret);
    expect(succeeded!.event.data.object).toMatchObject({ status: "complete", payment_status: "paid" });
    expect((await stripe.paymentIntents.retrieve(pending.json.payment_intent!)).status).toBe("succeeded");

    const twice = await control(`/_emulator/checkout/sessions/${session.id}/async-succeed`, {});
    expect(twice.status).toBe(400);
  });

  it("refunds emit charge.refunded with cumulative amounts", async () => {
    const session = emulator.pay((await createTopUpSession()).id);
    const paymentIntent = session.payment_intent!;

    const partial = await stripe.refunds.create({ payment_intent: paymentIntent, amount: 500 });
    expect(partial).toMatchObject({ object: "refund", amount: 500, status: "succeeded", payment_intent: paymentIntent, currency: "usd" });
    expect(partial.id).toMatch(/^re_/);
    await receiver.waitFor((all) => all.some((r) => r.event.type === "charge.refunded"), "charge.refunded");
    const first = receiver.received.find((r) => r.event.type === "charge.refunded");
    const firstEvent = stripe.webhooks.constructEvent(first!.body, first!.signature!, webhookSecret);
    expect(firstEvent.data.object).toMatchObject({ object: "charge", payment_intent: paymentIntent, amount: 2000, amount_refunded: 500, refunded: false });
    expect(firstEvent.data.previous_attributes).toEqual({ amount_refunded: 0, refunded: false });

    const rest = await control<RefundObject>("/_emulator/refund", { payment_intent: paymentIntent });
    expect(rest.json).toMatchObject({ amount: 1500 });
    await receiver.waitFor((all) => all.filter((r) => r.event.type === "charge.refunded").length === 2, "second charge.refunded");
    const second = receiver.received.filter((r) => r.event.type === "charge.refunded")[1]!;
    expect(second.event.data.object).toMatchObject({ amount: 2000, amount_refunded: 2000, refunded: true });

    await expect(stripe.refunds.create({ payment_intent: paymentIntent })).rejects.toMatchObject({ statusCode: 400, code: "charge_already_refunded" });
    const unpaid = await createTopUpSession();
    emulator.payAsync(unpaid.id);
    const unpaidIntent = (await stripe.checkout.sessions.retrieve(unpaid.id)).payment_intent as string;
    await expect(stripe.refunds.create({ payment_intent: unpaidIntent })).rejects.toMatchObject({ statusCode: 400, param: "payment_intent" });
  });

  it("retries with exponential backoff: 500, 500, then 200 is three deliveries of the same event", async () => {
    receiver.respond = (_event, nth) => (nth <= 2 ? 500 : 200);
    const session = await createTopUpSession();
    emulator.pay(session.id);

    const deliveries = await receiver.waitForEvent("checkout.session.completed", session.id, 3);
    expect(new Set(deliveries.map((d) => d.event.id)).size).toBe(1);
    for (const delivery of deliveries) stripe.webhooks.constructEvent(delivery.body, delivery.signature!, webhookSecret);

    await emulator.webhooksIdle();
    const log = (await control<{ data: DeliveryAttempt[] }>(`/_emulator/deliveries?event_id=${deliveries[0]!.event.id}`)).json.data;
    expect(log.map((a) => a.status)).toEqual([500, 500, 200]);
    expect(log.map((a) => a.attempt)).toEqual([1, 2, 3]);
    expect(log.map((a) => a.next_retry_in_ms)).toEqual([retryBaseDelayMs, retryBaseDelayMs * 2, null]);
    const starts = log.map((a) => Date.parse(a.started_at));
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(retryBaseDelayMs);
    expect(starts[2]! - starts[1]!).toBeGreaterThanOrEqual(retryBaseDelayMs * 2);
    expect(receiver.received).toHaveLength(3);
  });

  it("gives up after the configured attempts, on errors and on unreachable endpoints", async () => {
    receiver.respond = () => 503;
    const failing = emulator.pay((await createTopUpSession()).id);
    await receiver.waitForEvent("checkout.session.completed", failing.id, retryAttempts);
    await emulator.webhooksIdle();
    expect(emulator.deliveries().map((d) => d.status)).toEqual(Array(retryAttempts).fill(503));
    expect(receiver.received).toHaveLength(retryAttempts);

    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/webhook`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    emulator.configureWebhooks({ url: deadUrl });
    const unreachable = emulator.pay((await createTopUpSession()).id);
    await emulator.webhooksIdle();
    const event = emulator.events("checkout.session.completed").find((e) => e.data.object.id === unreachable.id)!;
    const attempts = emulator.deliveries(event.id);
    expect(attempts).toHaveLength(retryAttempts);
    expect(attempts.every((a) => a.status === null && a.error !== null && a.url === deadUrl)).toBe(true);
  });

  it("redelivers an event on request", async () => {
    const session = emulator.pay((await createTopUpSession()).id);
    const [original] = await receiver.waitForEvent("checkout.session.completed", session.id);

    const { status } = await control(`/_emulator/events/${original!.event.id}/redeliver`, {});
    expect(status).toBe(202);
    const both = await receiver.waitForEvent("checkout.session.completed", session.id, 2);
    expect(both[1]!.event.id).toBe(original!.event.id);
    expect(both[1]!.body).toBe(original!.body.replace('"pending_webhooks": 1', '"pending_webhooks": 0'));
    stripe.webhooks.constructEvent(both[1]!.body, both[1]!.signature!, webhookSecret);
    await emulator.webhooksIdle();
    expect(emulator.deliveries(original!.event.id).map((d) => d.trigger)).toEqual(["automatic", "redeliver"]);
  });

  it("holds events while paused and delivers a given list in the given order", async () => {
    expect((await control("/_emulator/webhooks", { auto_deliver: false })).json).toMatchObject({ auto_deliver: false });
    const session = emulator.pay((await createTopUpSession()).id);
    emulator.refund({ payment_intent: session.payment_intent!, amount: 700 });
    await emulator.webhooksIdle();
    expect(receiver.received).toHaveLength(0);

    const completed = emulator.events("checkout.session.completed")[0]!;
    const refunded = emulator.events("charge.refunded")[0]!;
    expect((await control<{ webhooks: { held_event_ids: string[] } }>("/_emulator")).json.webhooks.held_event_ids).toEqual([completed.id, refunded.id]);

    const { json } = await control<{ data: DeliveryAttempt[] }>("/_emulator/deliver", { ids: [refunded.id, completed.id] });
    expect(json.data.map((a) => [a.event_id, a.status])).toEqual([
      [refunded.id, 200],
      [completed.id, 200],
    ]);
    expect(receiver.received.map((r) => r.event.type)).toEqual(["charge.refunded", "checkout.session.completed"]);

    await control("/_emulator/webhooks", { auto_deliver: true });
    await emulator.webhooksIdle();
    expect(receiver.received).toHaveLength(2); // nothing held any more: no duplicates on resume

    const unknown = await control("/_emulator/deliver", { ids: ["evt_missing"] });
    expect(unknown.status).toBe(404);
  });
});

describe("the state file (npm run dev and npm start keep it in .data/)", () => {
  let dir: string;
  const started: StripeEmulator[] = [];

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "stripe-emulator-state-"));
  });
  afterAll(async () => {
    await Promise.all(started.map((e) => e.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(stateFile: string): Promise<{ emulator: StripeEmulator; stripe: Stripe }> {
    const emulator = await startStripeEmulator({ webhookUrl: receiver.url, webhookSecret, retry: { attempts: retryAttempts, baseDelayMs: retryBaseDelayMs }, stateFile });
    started.push(emulator);
    return { emulator, stripe: new Stripe("sk_test_emulator", { host: "127.0.0.1", port: emulator.port, protocol: "http", maxNetworkRetries: 0 }) };
  }

  it("a session created before a restart is still there after it, and can be paid on its hosted page", async () => {
    const file = path.join(dir, "nested", "stripe-emulator.json");
    const first = await start(file);
    const session = await first.stripe.checkout.sessions.create({
      mode: "payment",
      line_items: [{ price_data: { currency: "usd", unit_amount: 2000, product_data: { name: "Wallet top-up" } }, quantity: 1 }],
      success_url: "http://localhost:3000/top-ups/success",
      metadata: { top_up_id: "top_restart" },
      expires_at: nowSeconds() + 3600,
    });
    await first.emulator.close();
    expect(existsSync(file)).toBe(true);
    expect(readdirSync(path.dirname(file))).toEqual(["stripe-emulator.json"]); // no temporary file left behind

    const second = await start(file);
    const restored = await second.stripe.checkout.sessions.retrieve(session.id);
    expect(restored).toMatchObject({ status: "open", amount_total: 2000, metadata: { top_up_id: "top_restart" } });
    expect(restored.url).toBe(`${second.emulator.url}/checkout/${session.id}`); // this run's port

    const page = await hostedPage(restored.url!);
    expect(page.html).toContain("$20.00 USD");
    expect((await submit(page.action("Pay"))).status).toBe(303);
    await receiver.waitForEvent("checkout.session.completed", session.id);
    await second.emulator.webhooksIdle();
    await second.emulator.close();

    const third = await start(file);
    const paid = await third.stripe.checkout.sessions.retrieve(session.id, { expand: ["payment_intent"] });
    expect(paid).toMatchObject({ status: "complete", payment_status: "paid", url: null });
    expect((paid.payment_intent as Stripe.PaymentIntent).status).toBe("succeeded");
    expect(third.emulator.events("checkout.session.completed").map((e) => (e.data.object as SessionObject).id)).toEqual([session.id]);
    const refund = third.emulator.refund({ payment_intent: (paid.payment_intent as Stripe.PaymentIntent).id, amount: 500 });
    expect(refund).toMatchObject({ amount: 500, status: "succeeded" });
  });

  it("refuses to start on a state file it cannot read, naming the file", async () => {
    const file = path.join(dir, "broken.json");
    writeFileSync(file, "{ not json");
    await expect(start(file)).rejects.toThrow(`state file ${file} is not JSON`);
    writeFileSync(file, JSON.stringify({ version: 2 }));
    await expect(start(file)).rejects.toThrow("not a version 1 emulator state");
  });
});
