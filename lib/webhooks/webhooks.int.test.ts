import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/auth/api-keys";
import { closeDb, pool, prisma } from "@/lib/db";
import { Dec } from "@/lib/money";
import { initiateTopUp } from "@/lib/top-ups/initiate-top-up";
import { startStripeHarness, waitFor, type StripeHarness } from "@/lib/top-ups/testing/stripe-harness";
import { apiClient, startTestApiServer, type TestApiServer } from "@/test/api-server";
import { createTestPlatform, type TestPlatform } from "@/test/factories";
import { MAX_DELIVERY_ATTEMPTS, retryDelaySeconds } from "./deliver-webhooks";
import { dispatchWebhooks } from "./dispatch-webhooks";
import { verifyWebhookSignature } from "@/sdk/src/webhook-signature";
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from "./testing/webhook-receiver";
import { unitPriceProduct } from "@/test/seed";
import { subscribeCustomer } from "@/lib/catalog/subscribe-customer";

/**
 * Outbound webhooks end to end, without mocks: changes made through the real HTTP API and
 * the Stripe emulator record outbox events in their own transactions; the dispatch job's
 * function (called directly, as the worker calls it) fans them out and POSTs them to real
 * node:http receivers, which check the signatures. Waits poll with a deadline.
 */

type Api = ReturnType<typeof apiClient>;

interface Endpoint {
  id: string;
  secret: string;
  receiver: WebhookReceiver;
}

let server: TestApiServer;
let harness: StripeHarness;
let platform: TestPlatform;
let api: Api;
/** Platform A's endpoints: every topic, top_up.succeeded only, and a live-mode one. */
let all: Endpoint;
let topUpsOnly: Endpoint;
let liveMode: Endpoint;
/** Platform B's endpoint for every topic: must never see A's events. */
let otherPlatform: Endpoint;
const receivers: WebhookReceiver[] = [];

const callsProduct = unitPriceProduct({ name: "Calls", code: "calls", priceName: "Call", eventType: "api_call", unitPrice: 1 });

async function endpoint(client: Api, topics?: string[]): Promise<Endpoint> {
  const receiver = await startWebhookReceiver();
  receivers.push(receiver);
  const res = await client("POST", "/webhooks", { url: receiver.url, ...(topics ? { topics } : {}) });
  expect(res.status).toBe(201);
  return { id: res.body.id, secret: res.body.secret, receiver };
}

beforeAll(async () => {
  server = await startTestApiServer();
  harness = await startStripeHarness();
  platform = await createTestPlatform("Webhooks");
  api = apiClient(server.url, platform.apiKey);
  expect((await api("POST", "/products", callsProduct)).status).toBe(201);
  all = await endpoint(api);
  topUpsOnly = await endpoint(api, ["top_up.succeeded"]);
  liveMode = await endpoint(apiClient(server.url, (await createApiKey(platform.platformId, true)).key));
  const other = apiClient(server.url, (await createTestPlatform("Other")).apiKey);
  expect((await other("POST", "/products", callsProduct)).status).toBe(201);
  otherPlatform = await endpoint(other);
  // the other platform is busy too: its events go to its endpoint only
  const otherCustomer = await newCustomer(other);
  await other("POST", "/events", { customer_id: otherCustomer, events: [call("other-1")] });
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await harness?.close();
  await server?.close();
  await closeDb();
});

async function newCustomer(client: Api = api): Promise<string> {
  const res = await client("POST", "/customers", { name: "Walter", subscriptions: [{ products: [{ code: "calls", version: "default" }] }] });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

function call(id: string) {
  return { id, event_type: "api_call", occurred_at: "2025-01-31T12:00:00Z", subject: "chat_1" };
}

async function adjust(customerId: string, amount: number, extra: Record<string, unknown> = {}) {
  const res = await api("POST", `/customers/${customerId}/wallet/adjustments`, {
    transaction_id: `adj-${Math.random().toString(36).slice(2)}`,
    asset: "USD",
    amount,
    reason: amount > 0 ? "external_topup" : "charge",
    ...extra,
  });
  expect(res.status).toBe(201);
}

/** Runs the dispatch job until `probe` holds (another dispatcher may hold a delivery's lease meanwhile). */
function dispatchUntil<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, what: string, dueBy?: Date): Promise<T> {
  return waitFor(async () => {
    await dispatchWebhooks({ dueBy });
    return probe();
  }, what);
}

/** Every new customer's subscription is announced; the tests below look past it unless they ask for it. */
const ACTIVATED = "subscription.activated";

function received(e: Endpoint, customerId: string, type?: string): ReceivedWebhook[] {
  return e.receiver.received.filter(
    (r) => r.envelope.data.customer_id === customerId && (type ? r.envelope.type === type : r.envelope.type !== ACTIVATED),
  );
}

async function outbox(customerId: string, type?: string): Promise<{ id: string; type: string; data: Record<string, unknown> }[]> {
  const { rows } = await pool().query<{ id: string; type: string; data: Record<string, unknown> }>(
    `SELECT id, type, data FROM webhook_events
      WHERE customer_id = $1 AND (type = $2 OR ($2 IS NULL AND type <> '${ACTIVATED}'))
      ORDER BY created_at, id`,
    [customerId, type ?? null],
  );
  return rows;
}

/** Verified with the SDK, the verifier platforms use. */
async function expectSigned(hit: ReceivedWebhook, secret: string) {
  const header = hit.headers["drawdown-signature"] as string;
  expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
  expect(await verifyWebhookSignature(hit.body, header, secret)).toBe(true);
  expect(await verifyWebhookSignature(hit.body, header, `${secret}x`)).toBe(false);
  expect(await verifyWebhookSignature(hit.body.replace("}", ' }'), header, secret)).toBe(false);
  expect(hit.headers["content-type"]).toBe("application/json");
  expect(hit.headers["drawdown-event-id"]).toBe(hit.envelope.id);
  // Credyt's header beside ours: the same HMAC of the same t, tagged v0.
  const credyt = hit.headers["credyt-signature"] as string;
  expect(credyt).toBe(header.replace(",v1=", ",v0="));
  expect(await verifyWebhookSignature(hit.body, credyt, secret)).toBe(true);
}

describe("event.refused", () => {
  it("is recorded with the refused event, then delivered signed to the endpoints subscribed to it", async () => {
    const customerId = await newCustomer();
    const res = await api("POST", "/events", { customer_id: customerId, events: [call("refused-1")] });
    expect(res.body.results[0]).toMatchObject({ status: "refused", reason: "insufficient_funds" });

    // Already in the outbox when the request answered: written in the batch's transaction.
    const [recorded, ...more] = await outbox(customerId);
    expect(more).toEqual([]);
    expect(recorded).toMatchObject({ id: expect.stringMatching(/^evt_/), type: "event.refused" });

    const [hit] = await dispatchUntil(() => received(all, customerId).length > 0 && received(all, customerId), "event.refused at the endpoint");
    await expectSigned(hit!, all.secret);
    expect(hit!.envelope).toEqual({
      id: recorded!.id,
      type: "event.refused",
      created: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      live_mode: false,
      data: {
        id: "refused-1",
        customer_id: customerId,
        event_type: "api_call",
        occurred_at: "2025-01-31T12:00:00.000Z",
        subject: "chat_1",
        reason: "insufficient_funds",
        fees: [{ amount: 1, asset: "USD", account_id: "default:USD", product_id: expect.stringMatching(/^prp_/), product_version: 1, price_name: "Call" }],
      },
    });
    expect(Math.abs(Date.parse(hit!.envelope.created) - Date.now())).toBeLessThan(60_000);
    expect(received(topUpsOnly, customerId)).toEqual([]);
  });

  it("billed and duplicate events record nothing", async () => {
    const customerId = await newCustomer();
    await adjust(customerId, 5);
    await api("POST", "/events", { customer_id: customerId, events: [call("billed-1"), call("billed-1")] });
    expect(await outbox(customerId)).toEqual([]);
  });
});

describe("credit_grant.expired", () => {
  it("carries the remainder that left the balance", async () => {
    const customerId = await newCustomer();
    await adjust(customerId, 7, { reason: "promotion", expires_at: new Date(Date.now() + 3600_000).toISOString() });
    await api("POST", "/events", { customer_id: customerId, events: [call("spend-1"), call("spend-2")] });
    const grant = await prisma().creditGrant.findFirstOrThrow({ where: { customerId } });
    await prisma().creditGrant.update({ where: { id: grant.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    // Reading the wallet expires due grants first (through the ledger batch).
    expect((await api("GET", `/customers/${customerId}/wallet`)).body.accounts[0].available).toBe(0);

    const [hit] = await dispatchUntil(() => received(all, customerId).length > 0 && received(all, customerId), "credit_grant.expired");
    await expectSigned(hit!, all.secret);
    expect(hit!.envelope).toMatchObject({
      type: "credit_grant.expired",
      data: {
        id: grant.id,
        customer_id: customerId,
        account_id: "default:USD",
        asset: "USD",
        purpose: "promotion",
        amount: 7,
        expired_amount: 5,
        expires_at: expect.any(String),
        transaction_id: expect.stringMatching(/^ltx_/),
      },
    });
    // expired once: reading again records nothing more
    await api("GET", `/customers/${customerId}/wallet`);
    expect((await outbox(customerId)).map((e) => e.type)).toEqual(["credit_grant.expired"]);
  });
});

describe("top-ups through the Stripe emulator", () => {
  async function startTopUp(customerId: string) {
    const { topUp } = await initiateTopUp(platform, {
      customer_id: customerId,
      amount: new Dec(50),
      currency: "USD",
      destination: { account_name: "default", asset: "USD" },
    });
    return { topUpId: topUp.id, sessionId: topUp.checkoutSessionId! };
  }

  async function waitForStatus(topUpId: string, status: string) {
    await waitFor(async () => (await prisma().topUp.findUniqueOrThrow({ where: { id: topUpId } })).status === status, `${topUpId} ${status}`);
  }

  it("top_up.succeeded reaches both subscribed endpoints once, however often Stripe delivers", async () => {
    const customerId = await newCustomer();
    const { topUpId, sessionId } = await startTopUp(customerId);
    harness.emulator.pay(sessionId);
    await waitForStatus(topUpId, "succeeded");
    await harness.emulator.webhooksIdle();
    // Stripe delivers the event again: settled already, nothing new to tell.
    const [completed] = harness.emulator.events("checkout.session.completed").filter((e) => (e.data.object as { id: string }).id === sessionId);
    await harness.emulator.deliver([completed!.id]);

    await dispatchUntil(() => received(all, customerId).length > 0 && received(topUpsOnly, customerId).length > 0, "top_up.succeeded at both");
    for (const e of [all, topUpsOnly]) {
      const [hit, ...more] = received(e, customerId);
      expect(more).toEqual([]);
      await expectSigned(hit!, e.secret);
      expect(hit!.envelope).toMatchObject({
        type: "top_up.succeeded",
        live_mode: false,
        data: {
          id: topUpId,
          customer_id: customerId,
          status: "succeeded",
          amount: 50,
          currency: "USD",
          destination: { account_name: "default", asset: "USD", exchange_rate: 1 },
          credit_amount: 50,
          grant_id: expect.stringMatching(/^grant_/),
        },
      });
    }
    expect((await outbox(customerId)).map((e) => e.type)).toEqual(["top_up.succeeded"]);
  });

  it("top_up.failed goes to the endpoint for every topic only", async () => {
    const customerId = await newCustomer();
    const { topUpId, sessionId } = await startTopUp(customerId);
    harness.emulator.decline(sessionId);
    await waitForStatus(topUpId, "failed");
    const [hit] = await dispatchUntil(() => received(all, customerId).length > 0 && received(all, customerId), "top_up.failed");
    await expectSigned(hit!, all.secret);
    expect(hit!.envelope).toMatchObject({ type: "top_up.failed", data: { id: topUpId, status: "failed", grant_id: null } });
    expect(received(topUpsOnly, customerId)).toEqual([]);
  });
});

describe("wallet.balance_low", () => {
  it("fires when a batch takes the balance from at-or-above the threshold to below it, once per crossing", async () => {
    const customerId = await newCustomer();
    const patched = await api("PATCH", `/customers/${customerId}/wallet/default:USD`, { low_balance_threshold: 5 });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ low_balance_threshold: 5, overdraft_limit: 0 });
    await adjust(customerId, 10);

    const events = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => call(`${prefix}-${i}`));
    await api("POST", "/events", { customer_id: customerId, events: events("a", 5) }); // 10 → 5: not below
    await api("POST", "/events", { customer_id: customerId, events: events("b", 2) }); // 5 → 3: crossed
    await api("POST", "/events", { customer_id: customerId, events: events("c", 1) }); // 3 → 2: still below
    await adjust(customerId, 10); // 12
    await api("POST", "/events", { customer_id: customerId, events: events("d", 8) }); // 12 → 4: crossed again

    const lows = (await outbox(customerId)).filter((e) => e.type === "wallet.balance_low");
    expect(lows.map((e) => e.data)).toEqual([
      { customer_id: customerId, account_id: "default:USD", asset: "USD", available: 3, low_balance_threshold: 5 },
      { customer_id: customerId, account_id: "default:USD", asset: "USD", available: 4, low_balance_threshold: 5 },
    ]);
    const hits = await dispatchUntil(() => received(all, customerId).length === 2 && received(all, customerId), "both wallet.balance_low");
    for (const hit of hits) await expectSigned(hit, all.secret);

    // null turns it off
    const cleared = await api("PATCH", `/customers/${customerId}/wallet/default:USD`, { low_balance_threshold: null });
    expect(cleared.body.low_balance_threshold).toBeNull();
    await adjust(customerId, 10);
    await api("POST", "/events", { customer_id: customerId, events: events("e", 12) });
    expect((await outbox(customerId)).filter((e) => e.type === "wallet.balance_low")).toHaveLength(2);
  });

  it("validates the threshold like other amounts", async () => {
    const customerId = await newCustomer();
    for (const body of [{ low_balance_threshold: -1 }, { low_balance_threshold: 0.001 }, { low_balance_threshold: "x" }]) {
      const res = await api("PATCH", `/customers/${customerId}/wallet/default:USD`, body);
      expect(res.status).toBe(422);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(["low_balance_threshold"]);
    }
  });
});

describe("retries and the delivery log", () => {
  it("a receiver failing twice then answering 200 sees three attempts of one event, all in the log", async () => {
    const owner = await createTestPlatform("Flaky");
    const flakyApi = apiClient(server.url, owner.apiKey);
    expect((await flakyApi("POST", "/products", callsProduct)).status).toBe(201);
    const flaky = await endpoint(flakyApi, ["event.refused"]);
    flaky.receiver.answerWith(500, 503, 200);
    const customerId = await newCustomer(flakyApi);
    await flakyApi("POST", "/events", { customer_id: customerId, events: [call("flaky-1")] });

    const delivery = async () => prisma().webhookDelivery.findFirstOrThrow({ where: { endpointId: flaky.id } });
    await dispatchUntil(() => flaky.receiver.received.length === 1, "the first attempt");
    let row = await waitFor(async () => ((await delivery()).attempts === 1 ? delivery() : undefined), "attempt 1 recorded");
    expect(row).toMatchObject({ status: "pending", lastStatus: 500 });
    // the second attempt waits out the first backoff (30 s): not due before
    await dispatchWebhooks({ dueBy: new Date(row.nextAttemptAt!.getTime() - 1000) });
    expect(flaky.receiver.received).toHaveLength(1);
    const firstAttemptAt = (await prisma().webhookDeliveryAttempt.findFirstOrThrow({ where: { deliveryId: row.id } })).attemptedAt;
    expect(row.nextAttemptAt!.getTime() - firstAttemptAt.getTime()).toBe(retryDelaySeconds(1) * 1000);

    await dispatchUntil(() => flaky.receiver.received.length === 2, "the second attempt", row.nextAttemptAt!);
    row = await waitFor(async () => ((await delivery()).attempts === 2 ? delivery() : undefined), "attempt 2 recorded");
    expect(row).toMatchObject({ status: "pending", lastStatus: 503 });
    await dispatchUntil(() => flaky.receiver.received.length === 3, "the third attempt", row.nextAttemptAt!);
    row = await waitFor(async () => ((await delivery()).status === "delivered" ? delivery() : undefined), "delivered");
    expect(row).toMatchObject({ attempts: 3, lastStatus: 200, lastError: null, nextAttemptAt: null, deliveredAt: expect.any(Date) });

    // nothing more is sent, however late it gets
    await dispatchWebhooks({ dueBy: new Date(Date.now() + 7 * 24 * 3600_000) });
    expect(flaky.receiver.received.map((r) => r.status)).toEqual([500, 503, 200]);
    // the same event (id and body) every time, each attempt signed afresh
    expect(new Set(flaky.receiver.received.map((r) => r.body)).size).toBe(1);
    for (const hit of flaky.receiver.received) await expectSigned(hit, flaky.secret);

    const shown = await flakyApi("GET", `/webhooks/${flaky.id}`);
    expect(shown.status).toBe(200);
    expect(shown.body.deliveries).toEqual([
      {
        id: row.id,
        event_id: flaky.receiver.received[0]!.envelope.id,
        type: "event.refused",
        status: "delivered",
        attempts: 3,
        last_status: 200,
        last_error: null,
        next_attempt_at: null,
        delivered_at: expect.any(String),
        created_at: expect.any(String),
        attempt_log: [
          { attempt: 1, status_code: 500, error: "HTTP 500: receiver says no", duration_ms: expect.any(Number), attempted_at: expect.any(String) },
          { attempt: 2, status_code: 503, error: "HTTP 503: receiver says no", duration_ms: expect.any(Number), attempted_at: expect.any(String) },
          { attempt: 3, status_code: 200, error: null, duration_ms: expect.any(Number), attempted_at: expect.any(String) },
        ],
      },
    ]);
  });

  it(`gives up after ${MAX_DELIVERY_ATTEMPTS} attempts at an endpoint that never answers, logging why`, async () => {
    const owner = await createTestPlatform("Gone");
    const goneApi = apiClient(server.url, owner.apiKey);
    expect((await goneApi("POST", "/products", callsProduct)).status).toBe(201);
    const gone = await endpoint(goneApi);
    await gone.receiver.close(); // connection refused from now on
    const customerId = await newCustomer(goneApi);
    await goneApi("POST", "/events", { customer_id: customerId, events: [call("gone-1")] });

    const later = (days: number) => new Date(Date.now() + days * 24 * 3600_000);
    let attempts = 0;
    for (let i = 1; i <= MAX_DELIVERY_ATTEMPTS; i++) {
      const row = await dispatchUntil(async () => {
        const d = await prisma().webhookDelivery.findFirst({ where: { endpointId: gone.id } });
        return d && d.attempts >= i ? d : undefined;
      }, `attempt ${i}`, later(i));
      attempts = row.attempts;
    }
    await dispatchWebhooks({ dueBy: later(30) });
    const row = await prisma().webhookDelivery.findFirstOrThrow({ where: { endpointId: gone.id }, include: { attemptLog: true } });
    expect(attempts).toBe(MAX_DELIVERY_ATTEMPTS);
    expect(row).toMatchObject({ status: "failed", attempts: MAX_DELIVERY_ATTEMPTS, lastStatus: null, nextAttemptAt: null, deliveredAt: null });
    expect(row.attemptLog).toHaveLength(MAX_DELIVERY_ATTEMPTS);
    // what kind of failure, never which address or port answered how (that would map the network)
    expect(row.attemptLog.map((a) => a.error)).toEqual(Array(MAX_DELIVERY_ATTEMPTS).fill("connection failed"));
    expect(row.attemptLog.every((a) => a.statusCode === null)).toBe(true);
  });
});

describe("subscription.activated", () => {
  it("announces each subscription of a new customer: in the outbox when the creation answers, then delivered signed", async () => {
    const customerId = await newCustomer();
    const [recorded, ...more] = await outbox(customerId, ACTIVATED);
    expect(more).toEqual([]);
    const subscription = await prisma().subscription.findFirstOrThrow({ where: { customerId } });
    const [hit] = await dispatchUntil(() => received(all, customerId, ACTIVATED).length > 0 && received(all, customerId, ACTIVATED), ACTIVATED);
    await expectSigned(hit!, all.secret);
    expect(hit!.envelope).toEqual({
      id: recorded!.id,
      type: ACTIVATED,
      created: expect.any(String),
      live_mode: false,
      data: {
        customer_id: customerId,
        subscription_id: subscription.id,
        occurred_at: hit!.envelope.created,
        product: { id: subscription.productId, code: "calls", version: "default" },
      },
    });
    expect(received(topUpsOnly, customerId, ACTIVATED)).toEqual([]);
  });

  it("is not sent for a customer without subscriptions, nor for a product it was already subscribed to", async () => {
    const bare = await api("POST", "/customers", { name: "No plan" });
    expect(await outbox(bare.body.id, ACTIVATED)).toEqual([]);
    const customerId = await newCustomer();
    await subscribeCustomer(platform, customerId, [{ code: "calls", version: 1 }]);
    expect(await outbox(customerId, ACTIVATED)).toHaveLength(1);
  });
});

describe("who receives what", () => {
  it("nobody outside the tenant, and only subscribed topics", async () => {
    // everything above has been dispatched; one more pass settles any stragglers
    await dispatchWebhooks();
    expect(all.receiver.types().length).toBeGreaterThan(0);
    expect(new Set(topUpsOnly.receiver.types())).toEqual(new Set(["top_up.succeeded"]));
    expect(liveMode.receiver.received).toEqual([]);
    // the other platform's endpoint got its own refused event and nothing of platform A's
    const otherHits = await dispatchUntil(
      () => otherPlatform.receiver.types().includes("event.refused") && otherPlatform.receiver.received,
      "the other platform's own event",
    );
    expect(otherHits.filter((h) => h.envelope.type !== ACTIVATED).map((h) => h.envelope.data.id)).toEqual(["other-1"]);
    const aEvents = new Set(all.receiver.received.map((r) => r.envelope.id));
    expect(otherHits.some((h) => aEvents.has(h.envelope.id))).toBe(false);
  });
});
