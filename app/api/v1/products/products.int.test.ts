import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, prisma } from "@/lib/db";
import { apiClient, startTestApiServer, type TestApiServer } from "@/test/api-server";
import { createTestPlatform } from "@/test/factories";

/** PRODUCT.md's POST /products body, character for character. */
const productMdBody = `{ "name": "Chat", "code": "chat", "publish": true,
  "prices": [
    { "name": "Input tokens", "type": "usage_based", "billing_model": { "type": "real_time" },
      "usage_calculation": { "event_type": "message_completed", "usage_type": "volume",
                             "volume_field": "input_tokens", "billable_dimensions": ["model"] },
      "pricing": [ { "asset": "USD", "values": [
          { "dimensions": { "model": "gpt-4-1" }, "volume_rate": 1.25, "package_size": 1000000 },
          { "dimensions": { "model": "*" },       "volume_rate": 2.50, "package_size": 1000000 } ] } ] },
    { "name": "Requests", "type": "usage_based", "billing_model": { "type": "real_time" },
      "usage_calculation": { "event_type": "api_call", "usage_type": "unit" },
      "pricing": [ { "asset": "CREDIT", "values": [ { "unit_price": 1 } ] } ] } ] }`;

const unitPrice = (unit_price: number | string, asset = "USD") => ({
  name: "Requests",
  type: "usage_based",
  usage_calculation: { event_type: "api_call", usage_type: "unit" },
  pricing: [{ asset, values: [{ unit_price }] }],
});

let server: TestApiServer;
let api: ReturnType<typeof apiClient>;
let otherApi: ReturnType<typeof apiClient>;
let anonymous: ReturnType<typeof apiClient>;
let platformId: string;
let chatId: string;

beforeAll(async () => {
  server = await startTestApiServer();
  const platform = await createTestPlatform("Products API");
  platformId = platform.platformId;
  api = apiClient(server.url, platform.apiKey);
  otherApi = apiClient(server.url, (await createTestPlatform("Someone else")).apiKey);
  anonymous = apiClient(server.url, "");
  expect((await api("POST", "/assets", { code: "CREDIT", name: "Credits", precision: 0 })).status).toBe(201);
  const created = await api("POST", "/products", undefined, { raw: productMdBody });
  expect(created.status).toBe(201);
  chatId = created.body.id;
});
afterAll(async () => {
  await server.close();
  await closeDb();
});

describe("POST /products", () => {
  it("accepts PRODUCT.md's example verbatim and answers the documented shape", async () => {
    const { body } = await api("GET", `/products/${chatId}`);
    expect(chatId).toMatch(/^prp_[0-9a-z]+$/);
    const again = await api("POST", "/products", { ...JSON.parse(productMdBody), code: "chat-2" });
    expect(again.status).toBe(201);
    expect(again.body).toEqual({
      id: expect.stringMatching(/^prp_/),
      code: "chat-2",
      name: "Chat",
      version: 1,
      status: "published",
      is_default: true,
      default_version: 1,
      prices: JSON.parse(productMdBody).prices,
      created_at: expect.any(String),
      published_at: expect.any(String),
    });
    expect(body.versions).toHaveLength(1);
  });

  it("answers 409 for a code already used on the platform, and allows it on another platform", async () => {
    const dup = await api("POST", "/products", undefined, { raw: productMdBody });
    expect(dup.status).toBe(409);
    expect(dup.body.errors).toEqual([{ field: "code", message: "Already exists" }]);
    expect((await otherApi("POST", "/products", { name: "Chat", code: "chat", prices: [unitPrice(1)] })).status).toBe(201);
  });

  it("answers 422 for a price in an unknown asset, naming the field, and writes nothing", async () => {
    const res = await api("POST", "/products", { name: "X", code: "x", prices: [unitPrice(1, "GOLD")] });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ field: "prices/0/pricing/0/asset", message: expect.stringContaining("GOLD") }]);
    expect(await prisma().product.count({ where: { platformId, code: "x" } })).toBe(0);
    // CREDIT is this platform's asset, not the other one's
    expect((await otherApi("POST", "/products", { name: "X", code: "x", prices: [unitPrice(1, "CREDIT")] })).status).toBe(422);
  });

  it.each([
    ["volume without volume_field", { usage_calculation: { event_type: "e", usage_type: "volume" }, pricing: [{ asset: "USD", values: [{ volume_rate: 1 }] }] }, "prices/0/usage_calculation/volume_field"],
    ["volume without volume_rate", { usage_calculation: { event_type: "e", usage_type: "volume", volume_field: "n" }, pricing: [{ asset: "USD", values: [{ unit_price: 1 }] }] }, "prices/0/pricing/0/values/0/volume_rate"],
    ["unit without unit_price", { usage_calculation: { event_type: "e", usage_type: "unit" }, pricing: [{ asset: "USD", values: [{}] }] }, "prices/0/pricing/0/values/0/unit_price"],
    ["unit_and_volume without either rate", { usage_calculation: { event_type: "e", usage_type: "unit_and_volume", volume_field: "n" }, pricing: [{ asset: "USD", values: [{ package_size: 10 }] }] }, "prices/0/pricing/0/values/0/unit_price"],
    ["a dimension not billable", { usage_calculation: { event_type: "e", usage_type: "unit", billable_dimensions: ["model"] }, pricing: [{ asset: "USD", values: [{ dimensions: { region: "eu" }, unit_price: 1 }] }] }, "prices/0/pricing/0/values/0/dimensions/region"],
    ["a typo in a field name", { usage_calculation: { event_type: "e", usage_type: "unit" }, pricing: [{ asset: "USD", values: [{ unit_prize: 1 }] }] }, "prices/0/pricing/0/values/0/unit_prize"],
    ["a negative price", { usage_calculation: { event_type: "e", usage_type: "unit" }, pricing: [{ asset: "USD", values: [{ unit_price: -1 }] }] }, "prices/0/pricing/0/values/0/unit_price"],
    ["a zero package_size", { usage_calculation: { event_type: "e", usage_type: "volume", volume_field: "n" }, pricing: [{ asset: "USD", values: [{ volume_rate: 1, package_size: 0 }] }] }, "prices/0/pricing/0/values/0/package_size"],
    ["two rows with the same dimensions (\"*\" = left out)", { usage_calculation: { event_type: "e", usage_type: "unit", billable_dimensions: ["model"] }, pricing: [{ asset: "USD", values: [{ dimensions: { model: "*" }, unit_price: 1 }, { unit_price: 2 }] }] }, "prices/0/pricing/0/values/1/dimensions"],
    ["an asset priced twice", { usage_calculation: { event_type: "e", usage_type: "unit" }, pricing: [{ asset: "USD", values: [{ unit_price: 1 }] }, { asset: "USD", values: [{ unit_price: 2 }] }] }, "prices/0/pricing/1/asset"],
  ])("answers 422 for %s", async (_, price, field) => {
    const res = await api("POST", "/products", { name: "Bad", code: "bad", prices: [{ name: "p", type: "usage_based", ...price }] });
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it("answers 422 for two prices with the same name (fees are reported by price name)", async () => {
    const res = await api("POST", "/products", { name: "Dup", code: "dup", prices: [unitPrice(1), unitPrice(2)] });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ field: "prices/1/name", message: expect.any(String) }]);
  });

  it("answers 401 without a key", async () => {
    expect((await anonymous("POST", "/products", undefined, { raw: productMdBody })).status).toBe(401);
    expect((await anonymous("GET", "/products")).status).toBe(401);
  });
});

describe("GET /products and /products/{id}", () => {
  it("lists the platform's products only", async () => {
    const res = await api("GET", "/products?limit=100");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ limit: 100, offset: 0 });
    expect(res.body.items.map((p: { code: string }) => p.code)).toContain("chat");
    expect(res.body.items[0]).toEqual({ id: chatId, code: "chat", name: "Chat", default_version: 1, latest_version: 1, created_at: expect.any(String) });
    const theirs = await otherApi("GET", "/products");
    expect(theirs.body.items.map((p: { id: string }) => p.id)).not.toContain(chatId);
  });

  it("finds a product by ?code= (Credyt's lookup), only the platform's own", async () => {
    const found = await api("GET", "/products?code=chat");
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ total_count: 1, items: [{ id: chatId, code: "chat" }] });
    const none = await api("GET", "/products?code=no-such-product");
    expect(none.body).toMatchObject({ total_count: 0, items: [] });
    const theirs = await otherApi("GET", "/products?code=chat");
    expect(theirs.body.items.map((p: { id: string }) => p.id)).not.toContain(chatId);
  });

  it("answers 400 naming a query parameter it does not know, instead of the whole list", async () => {
    const res = await api("GET", "/products?cod=chat&limit=5");
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      type: "https://drawdown.dev/problems/malformed_request",
      errors: [{ field: "cod", message: "Unknown query parameter" }],
    });
    expect(res.body.detail).toMatch(/cod\b.*takes: limit, offset, code/);
    const customers = await api("GET", "/customers?extrenal_id=18991");
    expect(customers.status).toBe(400);
    expect(customers.body.errors).toEqual([{ field: "extrenal_id", message: "Unknown query parameter" }]);
  });

  it("answers 404 for another platform's product and for ids that cannot exist", async () => {
    expect((await otherApi("GET", `/products/${chatId}`)).status).toBe(404);
    expect((await api("GET", "/products/prp_doesnotexist")).status).toBe(404);
    expect((await api("GET", "/products/cust_abc")).status).toBe(404);
  });
});

describe("versions: POST /products/{id} and PATCH /products/{id}/{version}", () => {
  it("adds a draft version, refuses to default it before publishing, then publishes and defaults it", async () => {
    const created = await api("POST", "/products", { name: "API", code: "api", publish: true, prices: [unitPrice(1)] });
    const id = created.body.id as string;
    const v2 = await api("POST", `/products/${id}`, { prices: [unitPrice("0.5")] });
    expect(v2.status).toBe(201);
    expect(v2.body).toMatchObject({ id, version: 2, status: "draft", is_default: false, default_version: 1, published_at: null });
    expect(v2.body.prices[0].pricing[0].values[0].unit_price).toBe(0.5);

    const early = await api("PATCH", `/products/${id}/2`, { is_default: true });
    expect(early.status).toBe(409);
    const both = await api("PATCH", `/products/${id}/2`, { publish: true, is_default: true });
    expect(both.status).toBe(200);
    expect(both.body).toMatchObject({ version: 2, status: "published", is_default: true, default_version: 2 });

    const full = await api("GET", `/products/${id}`);
    expect(full.body).toMatchObject({ default_version: 2, latest_version: 2 });
    expect(full.body.versions.map((v: { version: number; is_default: boolean }) => [v.version, v.is_default])).toEqual([
      [1, false],
      [2, true],
    ]);
    // other spellings: status "published", default true
    await api("POST", `/products/${id}`, { prices: [unitPrice("0.25")] });
    expect((await api("PATCH", `/products/${id}/3`, { status: "published" })).body).toMatchObject({ status: "published", is_default: false });
    expect((await api("PATCH", `/products/${id}/3`, { default: true })).body).toMatchObject({ is_default: true, default_version: 3 });
    expect((await api("PATCH", `/products/${id}/3`, { status: "draft" })).status).toBe(422);
    // is_default without publish on a new version is refused
    expect((await api("POST", `/products/${id}`, { prices: [unitPrice(1)], is_default: true })).status).toBe(422);
  });

  it("answers 404 for a missing version or another platform's product, 422 for an empty or unpublishing patch", async () => {
    expect((await api("PATCH", `/products/${chatId}/99`, { publish: true })).status).toBe(404);
    expect((await api("PATCH", `/products/${chatId}/x`, { publish: true })).status).toBe(404);
    expect((await otherApi("PATCH", `/products/${chatId}/1`, { is_default: true })).status).toBe(404);
    expect((await otherApi("POST", `/products/${chatId}`, { prices: [unitPrice(1)] })).status).toBe(404);
    expect((await api("PATCH", `/products/${chatId}/1`, {})).status).toBe(422);
    expect((await api("PATCH", `/products/${chatId}/1`, { publish: false })).status).toBe(422);
    expect((await anonymous("PATCH", `/products/${chatId}/1`, { publish: true })).status).toBe(401);
  });
});

describe("POST /products/{id}/{version}/simulate-usage", () => {
  it("prices the seed's event and charges nothing", async () => {
    const res = await api("POST", `/products/${chatId}/1/simulate-usage`, {
      events: [
        { event_type: "message_completed", data: { model: "gpt-4-1", input_tokens: 2353, output_tokens: 34697 } },
        { event_type: "message_completed", data: { model: "o3", input_tokens: 1000000 } },
        { event_type: "api_call", data: {} },
        { event_type: "image_generated", data: {} },
        { event_type: "message_completed", data: { input_tokens: "lots" } },
      ],
    });
    expect(res.status).toBe(200);
    const fee = (amount: number, asset: string, price_name: string) => ({ amount, asset, product_id: chatId, product_version: 1, price_name });
    expect(res.body.results).toEqual([
      { event_type: "message_completed", status: "billed", fees: [fee(0.00294125, "USD", "Input tokens")] },
      { event_type: "message_completed", status: "billed", fees: [fee(2.5, "USD", "Input tokens")] },
      { event_type: "api_call", status: "billed", fees: [fee(1, "CREDIT", "Requests")] },
      { event_type: "image_generated", status: "unbilled", reason: "no_matching_price", detail: expect.any(String), fees: [] },
      { event_type: "message_completed", status: "unbilled", reason: "invalid_volume", detail: expect.stringContaining("input_tokens"), fees: [] },
    ]);
    expect(await prisma().usageEvent.count({ where: { platformId } })).toBe(0);
  });

  it("answers 404 for another platform and 401 without a key", async () => {
    const body = { events: [{ event_type: "api_call", data: {} }] };
    expect((await otherApi("POST", `/products/${chatId}/1/simulate-usage`, body)).status).toBe(404);
    expect((await api("POST", `/products/${chatId}/7/simulate-usage`, body)).status).toBe(404);
    expect((await anonymous("POST", `/products/${chatId}/1/simulate-usage`, body)).status).toBe(401);
    expect((await api("POST", `/products/${chatId}/1/simulate-usage`, { events: [] })).status).toBe(422);
  });
});
