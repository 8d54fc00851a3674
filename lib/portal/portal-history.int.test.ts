import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credit } from "@/lib/ledger";
import { Dec } from "@/lib/money";
import { apiClient, startTestApiServer, type TestApiServer } from "@/test/api-server";
import { createTestPlatform, type TestPlatform } from "@/test/factories";
import { productExample } from "@/test/seed";
import { listPortalCreditGrants, listPortalUsage } from "./portal-history";

let server: TestApiServer;
let platform: TestPlatform;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  server = await startTestApiServer();
  platform = await createTestPlatform("Exact");
  api = apiClient(server.url, platform.apiKey);
  // The example product also prices requests in CREDIT.
  expect((await api("POST", "/assets", { code: "CREDIT", name: "Credits", precision: 0, rates: [{ source: "USD", rate: 0.01 }] })).status).toBe(201);
  expect((await api("POST", "/products", productExample)).status).toBe(201);
});
afterAll(() => server.close());

describe("portal history amounts", () => {
  // 21 significant digits: a double keeps ~15-17, so `String(Number(x))` would show 123456789.12345679.
  it("carries every digit of a fee, a grant and what is left of it (the exact-value tooltip)", async () => {
    const created = await api("POST", "/customers", { name: "Exact", subscriptions: [{ products: [{ code: "chat", version: "default" }] }] });
    expect(created.status).toBe(201);
    const customerId = created.body.id as string;
    const tenant = { platformId: platform.platformId, liveMode: false };
    await credit(customerId, { idempotencyKey: "exact", accountName: "default", asset: "USD", amount: new Dec("987654321.987654321098"), purpose: "paid" });
    // gpt-4-1 input tokens at $1.25 per 1,000,000: 98765431298765.4312096 tokens come to $123456789.123456789012.
    const sent = await api("POST", "/events", {
      customer_id: customerId,
      events: [{ id: "exact-1", event_type: "message_completed", occurred_at: "2026-11-30T12:00:00.000Z", data: { model: "gpt-4-1", input_tokens: "98765431298765.4312096" } }],
    });
    expect(sent.status).toBe(200);
    expect(sent.body.results[0]).toMatchObject({ status: "billed", fees: [{ amount: 123456789.12345679 }] }); // the API's JSON number, as ever

    const usage = await listPortalUsage(tenant, customerId, { limit: 10, offset: 0 });
    expect(usage.items).toEqual([
      {
        id: "exact-1",
        event_type: "message_completed",
        occurred_at: "2026-11-30T12:00:00.000Z",
        subject: null,
        description: null,
        status: "billed",
        reason: null,
        fees: [{ product: "Chat", price_name: "Input tokens", amount: "123456789.123456789012", asset: expect.objectContaining({ code: "USD" }) }],
      },
    ]);

    const grants = await listPortalCreditGrants(tenant, customerId, { limit: 10, offset: 0 });
    expect(grants.items).toEqual([
      expect.objectContaining({ account_id: "default:USD", purpose: "paid", amount: "987654321.987654321098", remaining: "864197532.864197532086", status: "live" }),
    ]);
    expect(grants.items[0]!.expires_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });
});
