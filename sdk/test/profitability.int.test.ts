import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/lib/db";
import { DrawdownConflictError } from "../src/index";
import { startSdkTestApp, type SdkTestApp } from "./support";

let app: SdkTestApp;
beforeAll(async () => {
  app = await startSdkTestApp("SDK profitability");
});
afterAll(async () => {
  await app.close();
  await closeDb();
});

describe("vendors, costs and stats through the SDK", () => {
  it("creates and finds vendors, sends costs camelCase (dimensions as written), reads the stats", async () => {
    const client = app.client();
    const vendor = await client.vendors.create({ name: "OpenAI", externalId: "openai", metadata: { tier_name: "5" } });
    expect(vendor).toMatchObject({ id: expect.stringMatching(/^vnd_/), externalId: "openai", metadata: { tier_name: "5" } });
    expect(await client.vendors.get(vendor.id)).toEqual(vendor);
    expect((await client.vendors.list({ externalId: "openai" })).items).toEqual([vendor]);
    const again = await client.vendors.create({ name: "OpenAI", externalId: "openai" }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(DrawdownConflictError);
    expect((again as DrawdownConflictError).status).toBe(409);

    const customer = await client.customers.create({ name: "Costly" });
    const sent = await client.events.sendUsage({
      customerId: customer.id,
      events: [{ id: "c-1", eventType: "chat", occurredAt: "2026-11-02T10:00:00Z", costs: [{ vendorExternalId: "openai", amount: "0.0031", currency: "USD", dimensions: { model_name: "gpt-4o" } }] }],
    });
    expect(sent.results[0]!.status).toBe("unbilled");
    const event = await client.events.get("c-1", { customerId: customer.id });
    expect(event.costs).toEqual([{ vendorId: vendor.id, amount: 0.0031, currency: "USD", description: null, dimensions: { model_name: "gpt-4o" } }]);

    const period = { from: "2026-11-01", to: "2026-11-30" };
    const stats = await client.stats.customer(customer.id, { ...period, interval: "day" });
    expect(stats).toMatchObject({ id: customer.id, costs: [{ currency: "USD", amount: 0.0031 }], events: { unbilled: 1, total: 1 }, topUps: [] });
    expect(stats.series).toEqual([expect.objectContaining({ start: "2026-11-02" })]);
    expect((await client.stats.vendor(vendor.id, period)).costs).toEqual([{ currency: "USD", amount: 0.0031 }]);
    expect((await client.stats.customer(customer.id, { ...period, currency: "USD" })).reporting).toEqual({ currency: "USD", revenue: 0, cost: 0.0031, margin: -0.0031, marginPercent: null, unconverted: [] });
    expect((await client.stats.platform(period)).margins).toEqual([{ currency: "USD", revenue: 0, cost: 0.0031, margin: -0.0031, marginPercent: null }]);
  });
});
