import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { closeDb, prisma } from "@/lib/db";
import { waitFor } from "@/lib/top-ups/testing/stripe-harness";
import { apiClient, startTestApiServer, type TestApiServer } from "@/test/api-server";
import { createTestPlatform } from "@/test/factories";
import { unitPriceProduct } from "@/test/seed";
import { deliverDueWebhooks } from "./deliver-webhooks";
import { fanOutWebhookEvents } from "./fan-out-webhook-events";
import { startWebhookReceiver, type WebhookReceiver } from "./testing/webhook-receiver";
import { overrideWebhookDestinationPolicy, type ResolvedAddress } from "./webhook-destination-policy";

/**
 * The destination policy at delivery time (DNS rebinding): an endpoint registered under a
 * public-looking name whose DNS later answers 127.0.0.1 gets nothing, through the real
 * outbox, queue and attempt log. The name resolves only through the test's resolver;
 * other test files' dispatchers (system DNS) can only log `host not found` for it, and
 * this file delivers only its own endpoints' deliveries (their policy differs from ours).
 */

let server: TestApiServer;
let receiver: WebhookReceiver;
let port: string;
/** What the injected DNS answers, per name. */
const dns: Record<string, string[]> = {};
const REFUSED = "destination not allowed: resolves to a non-public address";

beforeAll(async () => {
  server = await startTestApiServer();
  receiver = await startWebhookReceiver();
  port = new URL(receiver.url).port;
});
afterEach(() => overrideWebhookDestinationPolicy(undefined));
afterAll(async () => {
  await receiver?.close();
  await server?.close();
  await closeDb();
});

function applyPolicy(allowPrivateNetworks: boolean) {
  overrideWebhookDestinationPolicy({
    allowPrivateNetworks,
    resolve: async (host): Promise<ResolvedAddress[]> => (dns[host] ?? []).map((address) => ({ address, family: 4 })),
  });
}

/** A platform with one endpoint at `host` (resolving publicly when registered) and a refused usage event for it. */
async function endpointWithOneDelivery(host: string) {
  const api = apiClient(server.url, (await createTestPlatform(`Rebinding ${host}`)).apiKey);
  dns[host] = ["93.184.215.14"];
  applyPolicy(false);
  const hook = await api("POST", "/webhooks", { url: `http://${host}:${port}/webhooks/drawdown`, topics: ["event.refused"] });
  expect(hook.status).toBe(201);
  const product = unitPriceProduct({ name: "Calls", code: "calls", priceName: "Call", eventType: "api_call", unitPrice: 1 });
  expect((await api("POST", "/products", product)).status).toBe(201);
  const customer = await api("POST", "/customers", { subscriptions: [{ products: [{ code: "calls", version: "default" }] }] });
  const sent = await api("POST", "/events", { customer_id: customer.body.id, events: [{ id: `call-${host}`, event_type: "api_call", occurred_at: "2025-01-31T12:00:00Z" }] });
  expect(sent.body.results[0].status).toBe("refused");
  return { api, endpointId: hook.body.id as string };
}

/** Fans out and sends this endpoint's deliveries (skipping backoff waits) until `probe` holds. */
function deliverUntil<T>(endpointId: string, probe: () => Promise<T | undefined | false>, what: string): Promise<T> {
  return waitFor(async () => {
    await fanOutWebhookEvents();
    await deliverDueWebhooks({ endpointId, dueBy: new Date(Date.now() + 30 * 24 * 3600_000) });
    return probe();
  }, what);
}

const deliveryOf = (endpointId: string) => prisma().webhookDelivery.findFirst({ where: { endpointId }, include: { attemptLog: { orderBy: { attempt: "asc" } } } });

describe("delivery to a name that resolves to a private address since registration", () => {
  it("is a failed attempt with a generic reason; the receiver gets nothing and no body is kept", async () => {
    receiver.received.length = 0;
    // A body would end up in last_error if anything reached the receiver.
    receiver.answerWith(500);
    const { api, endpointId } = await endpointWithOneDelivery("hooks.rebind.example");
    dns["hooks.rebind.example"] = ["127.0.0.1"]; // DNS changed after registration

    const delivery = await deliverUntil(
      endpointId,
      async () => {
        const d = await deliveryOf(endpointId);
        return d?.attemptLog.some((a) => a.error === REFUSED) && d;
      },
      "a refused attempt",
    );
    expect(receiver.received).toEqual([]);
    expect(delivery).toMatchObject({ status: "pending", lastStatus: null, deliveredAt: null });
    for (const attempt of delivery.attemptLog) {
      // `host not found` comes from another test file's dispatcher, which uses the system DNS
      expect(attempt).toMatchObject({ statusCode: null, error: expect.stringMatching(/^(destination not allowed: resolves to a non-public address|host not found)$/) });
      expect(attempt.durationMs).toBeGreaterThanOrEqual(0);
    }

    const shown = await api("GET", `/webhooks/${endpointId}`);
    expect(shown.body.deliveries[0]).toMatchObject({ status: "pending", last_status: null, attempt_log: expect.arrayContaining([expect.objectContaining({ status_code: null, error: REFUSED })]) });
    expect(JSON.stringify(shown.body.deliveries)).not.toMatch(/receiver says no|127\.0\.0\.1/);
  });

  it("goes out, to the address checked, once the operator allows private networks", async () => {
    receiver.received.length = 0;
    receiver.answerWith(200);
    const { endpointId } = await endpointWithOneDelivery("allowed.rebind.example");
    dns["allowed.rebind.example"] = ["127.0.0.1"];
    applyPolicy(true);

    const delivery = await deliverUntil(endpointId, async () => {
      const d = await deliveryOf(endpointId);
      return d?.status === "delivered" && d;
    }, "the delivery");
    expect(delivery).toMatchObject({ lastStatus: 200, lastError: null });
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]!.headers.host).toBe(`allowed.rebind.example:${port}`);
  });
});
