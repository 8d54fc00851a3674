import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/lib/db";
import { deliverDueWebhooks, MAX_DELIVERY_ATTEMPTS } from "@/lib/webhooks/deliver-webhooks";
import { fanOutWebhookEvents } from "@/lib/webhooks/fan-out-webhook-events";
import { startWebhookReceiver, type WebhookReceiver } from "@/lib/webhooks/testing/webhook-receiver";
import { apiClient, startTestApiServer, type TestApiServer } from "@/test/api-server";
import { createTestPlatform } from "@/test/factories";
import { unitPriceProduct } from "@/test/seed";
import { getConsoleOverview } from "./get-console-overview";

/**
 * The console's overview from data made through the real API: balances held and owed per
 * asset, customers and active ones, the month's revenue and refused/unbilled events (the
 * stats' figures), and an endpoint whose deliveries gave up. Another platform and the other
 * mode see none of it.
 */

let server: TestApiServer;
let receiver: WebhookReceiver;
beforeAll(async () => {
  server = await startTestApiServer();
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await receiver?.close();
  await server?.close();
  await closeDb();
});

describe("getConsoleOverview", () => {
  it("sums the tenant's balances, customers, month figures and failing webhooks", async () => {
    const platform = await createTestPlatform("Overview");
    const api = apiClient(server.url, platform.apiKey);
    const hook = await api("POST", "/webhooks", { url: receiver.url, topics: ["event.refused"] });
    expect(hook.status).toBe(201);
    receiver.answerWith(500);
    expect((await api("POST", "/products", unitPriceProduct({ name: "Calls", code: "calls", priceName: "Call", eventType: "api_call", unitPrice: 2 }))).status).toBe(201);
    const customer = async () => (await api("POST", "/customers", { subscriptions: [{ products: [{ code: "calls", version: "default" }] }] })).body.id as string;
    const [rich, poor, idle] = [await customer(), await customer(), await customer()];
    const credit = (id: string, amount: number) =>
      api("POST", `/customers/${id}/wallet/adjustments`, { transaction_id: `t-${id}`, asset: "USD", amount, reason: "gift" });
    expect((await credit(rich, 10)).status).toBe(201);
    expect((await credit(idle, 5)).status).toBe(201);
    const now = new Date().toISOString();
    const send = (id: string, events: { id: string; event_type: string }[]) =>
      api("POST", "/events", { customer_id: id, events: events.map((e) => ({ ...e, occurred_at: now })) });
    expect((await send(rich, [{ id: "a", event_type: "api_call" }, { id: "b", event_type: "api_call" }])).body.results.map((r: { status: string }) => r.status)).toEqual(["billed", "billed"]);
    expect((await send(poor, [{ id: "c", event_type: "api_call" }, { id: "d", event_type: "unknown" }])).body.results.map((r: { status: string }) => r.status)).toEqual(["refused", "unbilled"]);
    await fanOutWebhookEvents();
    for (let i = 1; i <= MAX_DELIVERY_ATTEMPTS; i++) await deliverDueWebhooks({ endpointId: hook.body.id, dueBy: new Date(Date.now() + i * 86_400_000) });

    const tenant = { platformId: platform.platformId, liveMode: false };
    const overview = await getConsoleOverview(tenant);
    expect(overview.customers).toBe(3);
    expect(overview.activeCustomers).toBe(2);
    expect(overview.balances.map((b) => ({ asset: b.asset, held: b.held.toString(), owed: b.owed.toString() }))).toEqual([{ asset: "USD", held: "11", owed: "0" }]);
    expect(overview.stats.revenue.map((r) => ({ asset: r.asset, amount: r.amount.toString() }))).toEqual([{ asset: "USD", amount: "4" }]);
    expect(overview.stats.events).toMatchObject({ billed: 2, refused: 1, unbilled: 1, total: 4 });
    expect(overview.failingWebhooks).toEqual([{ endpointId: hook.body.id, url: receiver.url, failed: 1, retrying: 0 }]);

    for (const other of [{ platformId: (await createTestPlatform("Other")).platformId, liveMode: false }, { ...tenant, liveMode: true }]) {
      const empty = await getConsoleOverview(other);
      expect(empty).toMatchObject({ customers: 0, activeCustomers: 0, balances: [], failingWebhooks: [] });
      expect(empty.stats.events.total).toBe(0);
    }
  });
});
