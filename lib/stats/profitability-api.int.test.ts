import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { apiClient, startTestApiServer, type TestApiServer } from "@/test/api-server";
import { createTestPlatform } from "@/test/factories";

let server: TestApiServer;
let api: ReturnType<typeof apiClient>;
let otherApi: ReturnType<typeof apiClient>;
let productId: string;
let otherProductId: string;

const callPrice = (eventType: string, unitPrice: number, asset = "USD") => ({
  name: `${eventType} calls`,
  type: "usage_based",
  billing_model: { type: "real_time" },
  usage_calculation: { event_type: eventType, usage_type: "unit" },
  pricing: [{ asset, values: [{ unit_price: unitPrice }] }],
});

beforeAll(async () => {
  server = await startTestApiServer();
  api = apiClient(server.url, (await createTestPlatform("Profit")).apiKey);
  otherApi = apiClient(server.url, (await createTestPlatform("Other")).apiKey);
  const product = await api("POST", "/products", { name: "Chat", code: "chat", publish: true, prices: [callPrice("chat", 0.1)] });
  expect(product.status).toBe(201);
  productId = product.body.id;
  const other = await api("POST", "/products", { name: "Images", code: "img", publish: true, prices: [callPrice("image", 0.25)] });
  expect(other.status).toBe(201);
  otherProductId = other.body.id;
});
afterAll(() => server.close());

async function newCustomer(funded: number) {
  const res = await api("POST", "/customers", { name: "C", subscriptions: [{ products: [{ code: "chat" }, { code: "img" }] }] });
  expect(res.status).toBe(201);
  const id = res.body.id as string;
  if (funded > 0) {
    const adj = await api("POST", `/customers/${id}/wallet/adjustments`, { transaction_id: `fund-${id}`, asset: "USD", amount: funded, reason: "gift" });
    expect(adj.status).toBe(201);
  }
  return id;
}

async function newVendor(name: string, externalId?: string) {
  const res = await api("POST", "/vendors", { name, ...(externalId ? { external_id: externalId } : {}) });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

describe("vendors", () => {
  it("creates, gets and lists vendors, at /vendors and at Credyt's /events/vendors", async () => {
    const created = await api("POST", "/events/vendors", { name: "OpenAI", external_id: "openai", metadata: { tier: "5" } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.stringMatching(/^vnd_/), name: "OpenAI", external_id: "openai", metadata: { tier: "5" }, created_at: expect.any(String) });
    const id = created.body.id;
    expect((await api("GET", `/vendors/${id}`)).body).toEqual(created.body);
    expect((await api("GET", `/events/vendors/${id}`)).body).toEqual(created.body);
    const byExternalId = await api("GET", "/vendors?external_id=openai");
    expect(byExternalId.body).toEqual({ items: [created.body], total_count: 1, limit: 20, offset: 0 });
    expect((await api("GET", "/events/vendors?external_id=openai")).body.items).toEqual([created.body]);
    const second = await newVendor("Anthropic");
    const all = await api("GET", "/vendors?limit=1");
    expect(all.body).toMatchObject({ items: [{ id: second }], total_count: 2, limit: 1 });
  });

  it("refuses a second vendor with the same external_id (409 naming it), a bad body (422), another platform's vendor (404)", async () => {
    const id = await newVendor("Replicate", "replicate");
    const again = await api("POST", "/vendors", { name: "Replicate 2", external_id: "replicate" });
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain(id);
    expect((await api("POST", "/vendors", { name: "" })).status).toBe(422);
    expect((await api("POST", "/vendors", { name: "X", extra: 1 })).status).toBe(422);
    expect((await otherApi("GET", `/vendors/${id}`)).status).toBe(404);
    // The same external_id on another platform is its own.
    expect((await otherApi("POST", "/vendors", { name: "Replicate", external_id: "replicate" })).status).toBe(201);
    expect(await prisma().vendor.count({ where: { externalId: "replicate" } })).toBe(2);
  });
});

describe("costs on usage events", () => {
  it("stores costs exactly with the event (billed, unbilled, refused), never debits them, and a duplicate adds none", async () => {
    const customer = await newCustomer(0.25);
    const openai = await newVendor("OpenAI", `openai-${customer}`);
    const cost = (amount: number | string, extra: Record<string, unknown> = {}) => ({ vendor_id: openai, amount, currency: "USD", ...extra });
    const res = await api("POST", "/events", {
      customer_id: customer,
      events: [
        { id: "e1", event_type: "chat", occurred_at: "2026-11-02T10:00:00Z", costs: [cost("0.000000000001", { description: "4o tokens", dimensions: { model: "gpt-4o" } })] },
        { id: "e2", event_type: "unknown", occurred_at: "2026-11-02T11:00:00Z", costs: [{ vendor_external_id: `openai-${customer}`, amount: 0.02, currency: "EUR" }] },
        { id: "e3", event_type: "chat", occurred_at: "2026-11-03T10:00:00Z", costs: [cost(0.03)] },
        // 0.25 - 0.1 - 0.1 < 0.1: refused, its cost still recorded.
        { id: "e4", event_type: "chat", occurred_at: "2026-11-03T11:00:00Z", costs: [cost(0.04)] },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(["billed", "unbilled", "billed", "refused"]);
    const wallet = await api("GET", `/customers/${customer}/wallet/default:USD`);
    expect(wallet.body.available).toBe(0.05); // 0.25 - 0.1 - 0.1: costs are not debited

    const e1 = await api("GET", `/events/e1?customer_id=${customer}`);
    expect(e1.body.costs).toEqual([{ vendor_id: openai, amount: 1e-12, currency: "USD", description: "4o tokens", dimensions: { model: "gpt-4o" } }]);
    const e2 = await api("GET", `/events/e2?customer_id=${customer}`);
    expect(e2.body.costs).toEqual([{ vendor_id: openai, amount: 0.02, currency: "EUR", description: null, dimensions: null }]);
    const listed = await api("GET", `/events?customer_id=${customer}&status=refused`);
    expect(listed.body.items[0].costs).toEqual([{ vendor_id: openai, amount: 0.04, currency: "USD", description: null, dimensions: null }]);

    // A repeat of e1 with other costs: duplicate, nothing added.
    const dup = await api("POST", "/events", { customer_id: customer, events: [{ id: "e1", event_type: "chat", occurred_at: "2026-11-02T10:00:00Z", costs: [cost(9)] }] });
    expect(dup.body.results[0].status).toBe("duplicate");
    expect((await api("GET", `/events/e1?customer_id=${customer}`)).body.costs[0].amount).toBe(1e-12);
    const stats = await api("GET", `/customers/${customer}/stats?from=2026-11-01&to=2026-11-30`);
    expect(stats.body.costs).toEqual([
      { currency: "EUR", amount: 0.02 },
      { currency: "USD", amount: 0.070000000001 },
    ]);
  });

  it("refuses the whole request with a 422 naming each unknown vendor (also another platform's), bad amounts and currencies; nothing is written", async () => {
    const customer = await newCustomer(10);
    const theirs = (await otherApi("POST", "/vendors", { name: "Theirs" })).body.id as string;
    const mine = await newVendor("Mine");
    const event = (id: string, costs: unknown) => ({ id, event_type: "chat", occurred_at: "2026-11-02T10:00:00Z", costs });
    const bad = await api("POST", "/events", {
      customer_id: customer,
      events: [
        event("ok", [{ vendor_id: mine, amount: 1, currency: "USD" }]),
        event("x1", [{ vendor_id: mine, amount: 1, currency: "USD" }, { vendor_id: theirs, amount: 1, currency: "USD" }]),
        event("x2", [{ vendor_external_id: "nobody", amount: 1, currency: "USD" }]),
      ],
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([
      { field: "events/1/costs/1/vendor_id", message: `No vendor ${theirs}` },
      { field: "events/2/costs/0/vendor_external_id", message: "No vendor with external_id nobody" },
    ]);
    for (const [costs, field] of [
      [[{ vendor_id: mine, amount: -1, currency: "USD" }], "events/0/costs/0/amount"],
      [[{ vendor_id: mine, amount: "1.2.3", currency: "USD" }], "events/0/costs/0/amount"],
      [[{ vendor_id: mine, amount: "1e16", currency: "USD" }], "events/0/costs/0/amount"],
      [[{ vendor_id: mine, amount: 1, currency: "usd" }], "events/0/costs/0/currency"],
      [[{ vendor_id: mine, amount: 1, currency: "XYZ" }], "events/0/costs/0/currency"],
      [[{ amount: 1, currency: "USD" }], "events/0/costs/0/vendor_id"],
      [[{ vendor_id: mine, vendor_external_id: "m", amount: 1, currency: "USD" }], "events/0/costs/0/vendor_external_id"],
      [[{ vendor_id: mine, amount: 1, currency: "USD", dimensions: { a: { nested: 1 } } }], "events/0/costs/0/dimensions/a"],
    ] as const) {
      const res = await api("POST", "/events", { customer_id: customer, events: [event("y", costs)] });
      expect(res.status, JSON.stringify(costs)).toBe(422);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect(await prisma().usageEvent.count({ where: { customerId: customer } })).toBe(0);
    expect(await prisma().usageRollup.count({ where: { customerId: customer } })).toBe(0);
    expect((await api("GET", `/customers/${customer}/wallet/default:USD`)).body.available).toBe(10);
  });
});

describe("stats", () => {
  it("answers revenue, costs, margins, events and top-ups per customer, product, vendor and platform, with series", async () => {
    const { apiKey } = await createTestPlatform("Stats");
    const own = apiClient(server.url, apiKey);
    for (const [code, type, price] of [["chat", "chat", 0.1], ["img", "image", 0.25]] as const) {
      expect((await own("POST", "/products", { name: code, code, publish: true, prices: [callPrice(type, price)] })).status).toBe(201);
    }
    const products = (await own("GET", "/products")).body.items as { id: string; code: string }[];
    const chat = products.find((p) => p.code === "chat")!.id;
    const img = products.find((p) => p.code === "img")!.id;
    const customer = (await own("POST", "/customers", { name: "A", subscriptions: [{ products: [{ code: "chat" }, { code: "img" }] }] })).body.id;
    const other = (await own("POST", "/customers", { name: "B", subscriptions: [{ products: [{ code: "chat" }] }] })).body.id;
    for (const c of [customer, other]) {
      expect((await own("POST", `/customers/${c}/wallet/adjustments`, { transaction_id: `f-${c}`, asset: "USD", amount: 1, reason: "gift" })).status).toBe(201);
    }
    const openai = (await own("POST", "/vendors", { name: "OpenAI" })).body.id;
    const fal = (await own("POST", "/vendors", { name: "fal" })).body.id;
    const ev = (id: string, type: string, at: string, costs: unknown[] = []) => ({ id, event_type: type, occurred_at: at, costs });
    expect(
      (await own("POST", "/events", {
        customer_id: customer,
        events: [
          ev("a1", "chat", "2026-10-05T12:00:00Z", [{ vendor_id: openai, amount: 0.03, currency: "USD" }]),
          ev("a2", "chat", "2026-10-06T12:00:00Z", [{ vendor_id: openai, amount: 0.12, currency: "USD" }]),
          ev("a3", "image", "2026-10-13T23:59:59.999Z", [{ vendor_id: fal, amount: 0.05, currency: "USD" }, { vendor_id: openai, amount: 0.01, currency: "EUR" }]),
          ev("a4", "nothing", "2026-10-20T00:00:00Z", [{ vendor_id: fal, amount: 0.5, currency: "USD" }]),
          ev("a5", "chat", "2026-11-01T00:00:00Z"),
        ],
      })).status,
    ).toBe(200);
    expect((await own("POST", "/events", { customer_id: other, events: [ev("b1", "chat", "2026-10-07T00:00:00Z", [{ vendor_id: openai, amount: 0.02, currency: "USD" }])] })).status).toBe(200);

    const period = "from=2026-10-01&to=2026-10-31";
    const c = await own("GET", `/customers/${customer}/stats?${period}`);
    expect(c.status).toBe(200);
    expect(c.body).toEqual({
      id: customer,
      from: "2026-10-01",
      to: "2026-10-31",
      interval: null,
      revenue: [{ asset: "USD", amount: 0.45 }],
      costs: [
        { currency: "EUR", amount: 0.01 },
        { currency: "USD", amount: 0.7 },
      ],
      margins: [
        { currency: "EUR", revenue: 0, cost: 0.01, margin: -0.01, margin_percent: null },
        { currency: "USD", revenue: 0.45, cost: 0.7, margin: -0.25, margin_percent: -55.5556 },
      ],
      events: { billed: 3, unbilled: 1, refused: 0, total: 4 },
      top_ups: [],
    });

    const weekly = await own("GET", `/customers/${customer}/stats?${period}&interval=week`);
    expect(weekly.body.series.map((b: { start: string; events: { total: number } }) => [b.start, b.events.total])).toEqual([
      ["2026-10-05", 2],
      ["2026-10-12", 1],
      ["2026-10-19", 1],
    ]);
    const monthly = await own("GET", `/customers/${customer}/stats?from=2026-10-01&to=2026-11-30&interval=month`);
    expect(monthly.body.series.map((b: { start: string; revenue: unknown }) => [b.start, b.revenue])).toEqual([
      ["2026-10-01", [{ asset: "USD", amount: 0.45 }]],
      ["2026-11-01", [{ asset: "USD", amount: 0.1 }]],
    ]);

    const p = await own("GET", `/products/${chat}/stats?${period}`);
    expect(p.body).toMatchObject({
      id: chat,
      revenue: [{ asset: "USD", amount: 0.3 }],
      costs: [{ currency: "USD", amount: 0.17 }],
      margins: [{ currency: "USD", revenue: 0.3, cost: 0.17, margin: 0.13, margin_percent: 43.3333 }],
      events: { billed: 3, unbilled: 0, refused: 0, total: 3 },
    });
    expect(p.body.top_ups).toBeUndefined();
    const pi = await own("GET", `/products/${img}/stats?${period}`);
    expect(pi.body).toMatchObject({ revenue: [{ asset: "USD", amount: 0.25 }], costs: [{ currency: "EUR", amount: 0.01 }, { currency: "USD", amount: 0.05 }] });

    const v = await own("GET", `/vendors/${openai}/stats?${period}`);
    expect(v.body).toMatchObject({
      id: openai,
      costs: [{ currency: "EUR", amount: 0.01 }, { currency: "USD", amount: 0.17 }],
      revenue: [{ asset: "USD", amount: 0.55 }],
      events: { billed: 4, total: 4 },
    });
    const vf = await own("GET", `/vendors/${fal}/stats?${period}`);
    expect(vf.body).toMatchObject({ costs: [{ currency: "USD", amount: 0.55 }], revenue: [{ asset: "USD", amount: 0.25 }], events: { billed: 1, unbilled: 1 } });

    const all = await own("GET", `/stats?${period}`);
    expect(all.body).toMatchObject({ id: null, revenue: [{ asset: "USD", amount: 0.55 }], events: { billed: 4, unbilled: 1, total: 5 }, top_ups: [] });
  });

  it("with ?currency= converts revenue through the assets' rates into a reporting currency and sets it against the costs in it", async () => {
    const { apiKey } = await createTestPlatform("Reporting");
    const own = apiClient(server.url, apiKey);
    expect((await own("POST", "/assets", { code: "CREDIT", name: "Credits", precision: 0, rates: [{ source: "USD", rate: "0.01" }] })).status).toBe(201);
    expect((await own("POST", "/products", { name: "Mixed", code: "mixed", publish: true, prices: [callPrice("chat", 0.1), callPrice("image", 5, "CREDIT")] })).status).toBe(201);
    const customer = (await own("POST", "/customers", { name: "R", subscriptions: [{ products: [{ code: "mixed" }] }] })).body.id;
    for (const [asset, amount] of [["USD", 1], ["CREDIT", 100]] as const) {
      expect((await own("POST", `/customers/${customer}/wallet/adjustments`, { transaction_id: `f-${asset}-${customer}`, asset, amount, reason: "gift" })).status).toBe(201);
    }
    const vendor = (await own("POST", "/vendors", { name: "V" })).body.id;
    const sent = await own("POST", "/events", {
      customer_id: customer,
      events: [
        { id: "r1", event_type: "chat", occurred_at: "2026-09-01T00:00:00Z", costs: [{ vendor_id: vendor, amount: "0.04", currency: "USD" }] },
        { id: "r2", event_type: "image", occurred_at: "2026-09-02T00:00:00Z", costs: [{ vendor_id: vendor, amount: "0.02", currency: "EUR" }] },
      ],
    });
    expect(sent.body.results.map((r: { status: string }) => r.status)).toEqual(["billed", "billed"]);
    const usd = await own("GET", `/customers/${customer}/stats?from=2026-09-01&to=2026-09-30&currency=USD&interval=day`);
    expect(usd.status).toBe(200);
    // 0.1 USD + 5 CREDIT × 0.01 USD = 0.15 USD, against the USD costs only.
    expect(usd.body.reporting).toEqual({ currency: "USD", revenue: 0.15, cost: 0.04, margin: 0.11, margin_percent: 73.3333, unconverted: [] });
    expect(usd.body.series.map((b: { reporting: { revenue: number } }) => b.reporting.revenue)).toEqual([0.1, 0.05]);
    const eur = await own("GET", `/customers/${customer}/stats?from=2026-09-01&to=2026-09-30&currency=EUR`);
    expect(eur.body.reporting).toEqual({ currency: "EUR", revenue: 0, cost: 0.02, margin: -0.02, margin_percent: null, unconverted: ["CREDIT", "USD"] });
    expect((await own("GET", `/customers/${customer}/stats?currency=usd`)).status).toBe(422);
    expect((await own("GET", `/customers/${customer}/stats`)).body.reporting).toBeUndefined();
  });

  it("defaults to this month; refuses from > to, periods over 366 days and bad values (422), another platform's ids (404)", async () => {
    const customer = await newCustomer(0);
    const now = new Date();
    const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString().slice(0, 10);
    const res = await api("GET", `/customers/${customer}/stats`);
    expect(res.status).toBe(200);
    expect(res.body.from).toBe(first);
    expect(res.body.events).toEqual({ billed: 0, unbilled: 0, refused: 0, total: 0 });
    expect((await api("GET", `/stats?from=2026-11-02&to=2026-11-01`)).status).toBe(422);
    expect((await api("GET", `/stats?from=2025-01-01&to=2026-01-02`)).status).toBe(422);
    expect((await api("GET", `/stats?from=2025-01-01&to=2025-12-31`)).status).toBe(200);
    expect((await api("GET", `/stats?from=2025-02-30`)).status).toBe(422);
    expect((await api("GET", `/stats?from=2025-01-01T00:00:00Z`)).status).toBe(422);
    expect((await api("GET", `/stats?interval=year`)).status).toBe(422);
    expect((await api("GET", `/stats?since=2025-01-01`)).status).toBe(400);
    expect((await otherApi("GET", `/customers/${customer}/stats`)).status).toBe(404);
    expect((await otherApi("GET", `/products/${productId}/stats`)).status).toBe(404);
    expect((await api("GET", `/products/${otherProductId}/stats`)).status).toBe(200);
    const vendor = await newVendor("V");
    expect((await otherApi("GET", `/vendors/${vendor}/stats`)).status).toBe(404);
  });
});
