import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPortalOverview } from "@/lib/portal/portal-overview";
import { listPortalCreditGrants, listPortalTopUps, listPortalUsage } from "@/lib/portal/portal-history";
import { listTopUpOptions } from "@/lib/portal/portal-top-up";
import { apiClient, startTestApiServer, type TestApiServer } from "@/test/api-server";
import { createTestPlatform } from "@/test/factories";

/**
 * What serving a customer costs the platform is the platform's business: the billing portal
 * (its JSON routes and its pages, which all read these functions) shows none of it.
 */

let server: TestApiServer;
let api: ReturnType<typeof apiClient>;
let tenant: { platformId: string; liveMode: boolean };
let customer: string;

const SECRET_AMOUNT = "0.987654321";
const SECRET_TEXT = "secret-vendor-detail";

beforeAll(async () => {
  server = await startTestApiServer();
  const platform = await createTestPlatform("Portal costs");
  tenant = { platformId: platform.platformId, liveMode: false };
  api = apiClient(server.url, platform.apiKey);
  const price = { name: "Calls", type: "usage_based", billing_model: { type: "real_time" }, usage_calculation: { event_type: "call", usage_type: "unit" }, pricing: [{ asset: "USD", values: [{ unit_price: 0.1 }] }] };
  expect((await api("POST", "/products", { name: "Calls", code: "calls", publish: true, prices: [price] })).status).toBe(201);
  customer = (await api("POST", "/customers", { name: "C", subscriptions: [{ products: [{ code: "calls" }] }] })).body.id;
  expect((await api("POST", `/customers/${customer}/wallet/adjustments`, { transaction_id: `f-${customer}`, asset: "USD", amount: 0.15, reason: "gift" })).status).toBe(201);
  const vendor = (await api("POST", "/vendors", { name: SECRET_TEXT, external_id: SECRET_TEXT })).body.id;
  const cost = { vendor_id: vendor, amount: SECRET_AMOUNT, currency: "EUR", description: SECRET_TEXT, dimensions: { model: SECRET_TEXT } };
  const at = new Date().toISOString();
  const sent = await api("POST", "/events", {
    customer_id: customer,
    events: ["billed", "refused", "unbilled"].map((id) => ({ id, event_type: id === "unbilled" ? "other" : "call", occurred_at: at, costs: [cost] })),
  });
  expect(sent.body.results.map((r: { status: string }) => r.status)).toEqual(["billed", "refused", "unbilled"]);
});
afterAll(() => server.close());

describe("the billing portal", () => {
  it("carries no cost, vendor or margin in any of its data, for billed, refused and unbilled events", async () => {
    const page = { limit: 50, offset: 0 };
    const data = {
      overview: await getPortalOverview(tenant, customer),
      usage: await listPortalUsage(tenant, customer, page),
      topUps: await listPortalTopUps(tenant, customer, page),
      grants: await listPortalCreditGrants(tenant, customer, page),
      topUpOptions: await listTopUpOptions(tenant, customer),
    };
    expect(data.usage.items).toHaveLength(3);
    const json = JSON.stringify(data);
    expect(json).not.toMatch(/cost|vendor|vnd_|margin/i);
    expect(json).not.toContain(SECRET_TEXT);
    expect(json).not.toContain("987654321");
  });

  it("has no cost or vendor field in its wire types (lib/portal/types.ts), which every portal route and page answers", () => {
    const types = readFileSync(path.join(import.meta.dirname, "../portal/types.ts"), "utf8");
    // A field named like one (`costs:`, `vendor_id?:`, `margin_percent:`); words in comments are fine.
    expect(types).not.toMatch(/^\s*(readonly\s+)?\w*(cost|vendor|margin)\w*\??:/im);
  });
});
