import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/lib/db";
import { apiClient, startTestApiServer, type TestApiServer } from "@/test/api-server";
import { createTestPlatform } from "@/test/factories";
import { unitPriceProduct } from "@/test/seed";
import { listEvents } from "./list-events";

/** The console's events explorer filters: by reason (why unbilled or refused) and by when the event occurred. */

let server: TestApiServer;
afterAll(async () => {
  await server?.close();
  await closeDb();
});
beforeAll(async () => {
  server = await startTestApiServer();
});

describe("listEvents filters", () => {
  it("by reason and by an occurred_at window [from, to)", async () => {
    const platform = await createTestPlatform("Explorer");
    const api = apiClient(server.url, platform.apiKey);
    const product = unitPriceProduct({ name: "Calls", code: "calls", priceName: "Call", eventType: "api_call", unitPrice: 1 });
    expect((await api("POST", "/products", product)).status).toBe(201);
    const customer = await api("POST", "/customers", { subscriptions: [{ products: [{ code: "calls", version: "default" }] }] });
    const sent = await api("POST", "/events", {
      customer_id: customer.body.id,
      events: [
        { id: "refused-jan", event_type: "api_call", occurred_at: "2025-01-31T12:00:00Z" },
        { id: "unpriced-feb", event_type: "nope", occurred_at: "2025-02-01T00:00:00Z" },
        { id: "unpriced-mar", event_type: "nope", occurred_at: "2025-03-01T00:00:00Z" },
      ],
    });
    expect(sent.body.results.map((r: { status: string; reason?: string }) => r.reason)).toEqual(["insufficient_funds", "no_matching_price", "no_matching_price"]);
    const tenant = { platformId: platform.platformId, liveMode: false };
    const page = { limit: 10, offset: 0 };
    const ids = async (filter: Parameters<typeof listEvents>[1]) => (await listEvents(tenant, filter, page)).items.map((e) => e.id);

    expect(await ids({ reason: "no_matching_price" })).toEqual(["unpriced-mar", "unpriced-feb"]);
    expect(await ids({ reason: "insufficient_funds" })).toEqual(["refused-jan"]);
    expect(await ids({ reason: "amount_too_large" })).toEqual([]);
    expect(await ids({ occurredFrom: new Date("2025-02-01T00:00:00Z") })).toEqual(["unpriced-mar", "unpriced-feb"]);
    expect(await ids({ occurredTo: new Date("2025-02-01T00:00:00Z") })).toEqual(["refused-jan"]);
    expect(await ids({ occurredFrom: new Date("2025-02-01T00:00:00Z"), occurredTo: new Date("2025-03-01T00:00:00Z"), reason: "no_matching_price" })).toEqual([
      "unpriced-feb",
    ]);
    // another platform's tenant sees none of them
    const other = { platformId: (await createTestPlatform("Other")).platformId, liveMode: false };
    expect((await listEvents(other, { reason: "no_matching_price" }, page)).total).toBe(0);
  });
});
