import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/lib/db";
import { apiClient, startTestApiServer, type TestApiServer } from "@/test/api-server";
import { createTestPlatform, type TestPlatform } from "@/test/factories";
import { getCustomerListFigures } from "./customer-list-figures";

/**
 * The customer list's figures: balances per asset now, and this UTC month's revenue, cost
 * and margin per customer, equal to each customer's GET /customers/{id}/stats; last
 * month's events and another platform's customers count for nothing.
 */

let server: TestApiServer;
let platform: TestPlatform;
let api: ReturnType<typeof apiClient>;
let vendorId: string;

const chat = {
  name: "Chat",
  code: "chat",
  publish: true,
  prices: [
    {
      name: "chat calls",
      type: "usage_based",
      billing_model: { type: "real_time" },
      usage_calculation: { event_type: "chat", usage_type: "unit" },
      pricing: [{ asset: "USD", values: [{ unit_price: 0.5 }] }],
    },
  ],
};

beforeAll(async () => {
  server = await startTestApiServer();
  platform = await createTestPlatform("List figures");
  api = apiClient(server.url, platform.apiKey);
  expect((await api("POST", "/products", chat)).status).toBe(201);
  vendorId = (await api("POST", "/vendors", { name: "OpenAI" })).body.id;
});
afterAll(async () => {
  await server?.close();
  await closeDb();
});

async function customer(funded: number): Promise<string> {
  const id = (await api("POST", "/customers", { name: "C", subscriptions: [{ products: [{ code: "chat" }] }] })).body.id as string;
  const adj = await api("POST", `/customers/${id}/wallet/adjustments`, { transaction_id: `fund-${id}`, asset: "USD", amount: funded, reason: "gift" });
  expect(adj.status).toBe(201);
  return id;
}

describe("getCustomerListFigures", () => {
  it("balances now, and this month's revenue, cost and margin as GET /customers/{id}/stats has them", async () => {
    const busy = await customer(10);
    const quiet = await customer(3);
    const now = new Date();
    const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15)).toISOString();
    const res = await api("POST", "/events", {
      customer_id: busy,
      events: [
        { id: "a", event_type: "chat", occurred_at: now.toISOString(), costs: [{ vendor_id: vendorId, amount: 0.2, currency: "USD" }] },
        { id: "b", event_type: "chat", occurred_at: now.toISOString(), costs: [{ vendor_id: vendorId, amount: 0.1, currency: "USD" }] },
        { id: "c", event_type: "chat", occurred_at: lastMonth, costs: [{ vendor_id: vendorId, amount: 5, currency: "USD" }] },
      ],
    });
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(["billed", "billed", "billed"]);

    // An open hold is not available (as the API's `available`).
    expect((await api("POST", `/customers/${quiet}/wallet/holds`, { id: "h-open", amount: 0.5, asset: "USD" })).status).toBe(201);

    const other = await createTestPlatform("Not theirs");
    const stranger = (await apiClient(server.url, other.apiKey)("POST", "/customers", { name: "S" })).body.id as string;
    const figures = await getCustomerListFigures({ platformId: platform.platformId, liveMode: false }, [busy, quiet, stranger]);

    const b = figures.get(busy)!;
    expect(b.balances.map((x) => [x.asset, x.balance.toString()])).toEqual([["USD", "8.5"]]);
    expect(b.month.revenue.map((r) => [r.asset, r.amount.toString()])).toEqual([["USD", "1"]]);
    expect(b.month.costs.map((c) => [c.currency, c.amount.toString()])).toEqual([["USD", "0.3"]]);
    expect(b.month.margins.map((m) => [m.currency, m.margin.toString(), m.marginPercent?.toString()])).toEqual([["USD", "0.7", "70"]]);
    const stats = (await api("GET", `/customers/${busy}/stats`)).body;
    expect(stats.revenue).toEqual([{ asset: "USD", amount: 1 }]);
    expect(stats.costs).toEqual([{ currency: "USD", amount: 0.3 }]);

    const q = figures.get(quiet)!;
    expect(q.balances.map((x) => [x.asset, x.balance.toString()])).toEqual([["USD", "2.5"]]);
    expect((await api("GET", `/customers/${quiet}/wallet/default:USD`)).body.available).toBe(2.5);
    expect(q.month).toEqual({ revenue: [], costs: [], margins: [] });
    expect(figures.get(stranger)).toEqual({ balances: [], month: { revenue: [], costs: [], margins: [] } });
  });
});
