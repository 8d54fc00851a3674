import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/lib/db";
import { startTestApiServer, type TestApiServer } from "@/test/api-server";
import { createTestPlatform } from "@/test/factories";

/**
 * The catalog bodies of Credyt's documentation, sent as written (with Credyt's header):
 * each is accepted, stored in Drawdown's canonical shape and priced as it says.
 */

/** Credyt's quickstart product, verbatim (unit price with a source_reference_field). */
const quickstartProduct = `{ "name": "Glitch Video", "code": "glitch_video_std",
  "prices": [ { "name": "Video Promotion", "type": "usage_based", "billing_model": { "type": "real_time" },
    "usage_calculation": { "event_type": "video_promoted", "usage_type": "unit", "source_reference_field": "video_id" },
    "pricing": [ { "asset": "USD", "values": [ { "unit_price": 0.5 } ] } ] } ],
  "publish": true }`;

/** Credyt's dimensional-pricing example: nested rows, `name` on the row. */
const dimensionalProduct = {
  name: "Glitch Video Minutes",
  code: "glitch_video_minutes",
  publish: true,
  prices: [
    {
      name: "Video Generation",
      type: "usage_based",
      billing_model: { type: "real_time" },
      usage_calculation: { event_type: "video_generated", usage_type: "volume", volume_field: "minutes", billable_dimensions: ["speed"] },
      pricing: [
        {
          asset: "USD",
          values: [
            { name: "Video Generation Minutes (Fast)", dimensions: { speed: "fast" }, values: [{ volume_rate: 1 }] },
            { name: "Video Generation Minutes (Default)", dimensions: { speed: "*" }, values: [{ volume_rate: 0.4 }] },
          ],
        },
      ],
    },
  ],
};

let server: TestApiServer;
let apiKey: string;

/** A request as Credyt's docs write it: `X-CREDYT-API-KEY`, JSON body. */
async function credyt(method: string, pathname: string, body?: unknown, init: { raw?: string } = {}) {
  const response = await fetch(`${server.url}/api/v1${pathname}`, {
    method,
    headers: { "X-CREDYT-API-KEY": apiKey, ...(body !== undefined || init.raw !== undefined ? { "Content-Type": "application/json" } : {}) },
    body: init.raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  return { status: response.status, body: (await response.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

beforeAll(async () => {
  server = await startTestApiServer();
  apiKey = (await createTestPlatform("Credyt catalog")).apiKey;
});
afterAll(async () => {
  await server.close();
  await closeDb();
});

const simulate = async (productId: string, version: string, events: { event_type: string; data: object }[]) => {
  const res = await credyt("POST", `/products/${productId}/${version}/simulate-usage`, { events });
  expect(res.status).toBe(200);
  return res.body.results as { status: string; fees: { amount: number; price_name: string }[] }[];
};

describe("Credyt's catalog bodies", () => {
  it("accepts the quickstart product verbatim and answers its source_reference_field with the price", async () => {
    const created = await credyt("POST", "/products", undefined, { raw: quickstartProduct });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ code: "glitch_video_std", version: 1, status: "published", is_default: true });
    const product = await credyt("GET", `/products/${created.body.id}`);
    expect(product.body.versions[0].prices[0].usage_calculation).toEqual({
      event_type: "video_promoted",
      usage_type: "unit",
      source_reference_field: "video_id",
    });
  });

  it("stores the nested dimensional form as flat rows with their names, and prices by dimension", async () => {
    const created = await credyt("POST", "/products", dimensionalProduct);
    expect(created.status).toBe(201);
    const product = await credyt("GET", `/products/${created.body.id}`);
    expect(product.body.versions[0].prices[0].pricing).toEqual([
      {
        asset: "USD",
        values: [
          { name: "Video Generation Minutes (Fast)", dimensions: { speed: "fast" }, volume_rate: 1 },
          { name: "Video Generation Minutes (Default)", dimensions: { speed: "*" }, volume_rate: 0.4 },
        ],
      },
    ]);
    const results = await simulate(created.body.id, "default", [
      { event_type: "video_generated", data: { speed: "fast", minutes: 3 } },
      { event_type: "video_generated", data: { speed: "slow", minutes: 5 } },
    ]);
    expect(results.map((r) => r.fees.map((f) => f.amount))).toEqual([[3], [2]]);
  });

  it("takes the name on the inner value as well, and answers the same canonical row", async () => {
    const body = structuredClone(dimensionalProduct);
    body.code = "inner_names";
    body.prices[0]!.pricing[0]!.values = [
      { dimensions: { speed: "fast" }, values: [{ name: "Fast", volume_rate: 1 }] },
    ] as never;
    const created = await credyt("POST", "/products", body);
    expect(created.status).toBe(201);
    const product = await credyt("GET", `/products/${created.body.id}`);
    expect(product.body.versions[0].prices[0].pricing[0].values).toEqual([{ name: "Fast", dimensions: { speed: "fast" }, volume_rate: 1 }]);
  });

  it("answers 422 naming the field for a nested row that is ambiguous, and creates nothing", async () => {
    const cases: [unknown, string][] = [
      [{ dimensions: { speed: "fast" }, values: [{ volume_rate: 1 }, { volume_rate: 2 }] }, "prices/0/pricing/0/values/0/values"],
      [{ dimensions: { speed: "fast" }, volume_rate: 2, values: [{ volume_rate: 1 }] }, "prices/0/pricing/0/values/0/volume_rate"],
      [{ name: "A", dimensions: { speed: "fast" }, values: [{ name: "B", volume_rate: 1 }] }, "prices/0/pricing/0/values/0/values/0/name"],
      [{ dimensions: { speed: "fast" }, values: [{ volume_rate: 1, unit_prize: 2 }] }, "prices/0/pricing/0/values/0/values/0/unit_prize"],
    ];
    for (const [row, field] of cases) {
      const body = structuredClone(dimensionalProduct);
      body.code = "ambiguous";
      body.prices[0]!.pricing[0]!.values = [row] as never;
      const res = await credyt("POST", "/products", body);
      expect(res.status, field).toBe(422);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect((await credyt("GET", "/products?code=ambiguous")).body.total_count).toBe(0);
  });

  it("prices unit_and_volume rows that give one rate with the other at 0", async () => {
    const body = structuredClone(dimensionalProduct);
    body.code = "one_rate";
    body.prices[0]!.usage_calculation.usage_type = "unit_and_volume";
    const created = await credyt("POST", "/products", body);
    expect(created.status).toBe(201);
    const product = await credyt("GET", `/products/${created.body.id}`);
    expect(product.body.versions[0].prices[0].pricing[0].values[0]).toEqual({
      name: "Video Generation Minutes (Fast)",
      dimensions: { speed: "fast" },
      volume_rate: 1,
      unit_price: 0,
    });
    const results = await simulate(created.body.id, "1", [{ event_type: "video_generated", data: { speed: "fast", minutes: 2 } }]);
    expect(results[0]!.fees.map((f) => f.amount)).toEqual([2]);

    const neither = structuredClone(body);
    neither.code = "no_rate";
    neither.prices[0]!.pricing[0]!.values = [{ dimensions: { speed: "fast" }, values: [{ package_size: 10 }] }] as never;
    const refused = await credyt("POST", "/products", neither);
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0].field).toBe("prices/0/pricing/0/values/0/unit_price");
  });

  it("accepts Credyt's fixed-price form as the same fixed price Drawdown stores", async () => {
    const monthly = {
      name: "Monthly Subscription",
      type: "fixed",
      billing_model: { type: "recurring", recurring: { interval: "month" } },
      pricing: [{ asset: "USD", values: [{ unit_price: 20.0 }] }],
    };
    const created = await credyt("POST", "/products", { name: "Pro", code: "pro_plan", publish: true, prices: [monthly] });
    expect(created.status).toBe(201);
    const product = await credyt("GET", `/products/${created.body.id}`);
    expect(product.body.versions[0].prices).toEqual([
      { name: "Monthly Subscription", type: "fixed", billing_model: { type: "recurring" }, interval: "month", pricing: [{ asset: "USD", amount: 20 }] },
    ]);

    const conflicting = { ...monthly, interval: "year" };
    const refused = await credyt("POST", "/products", { name: "Pro", code: "pro_plan_2", prices: [conflicting] });
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0].field).toBe("prices/0/interval");
    const both = { ...monthly, pricing: [{ asset: "USD", amount: 20, values: [{ unit_price: 20 }] }] };
    expect((await credyt("POST", "/products", { name: "Pro", code: "pro_plan_3", prices: [both] })).status).toBe(422);
  });

  it("takes name and make_default on a new version, make_default on PATCH, and `default` as a version in paths", async () => {
    const created = await credyt("POST", "/products", { ...dimensionalProduct, code: "versions_credyt" });
    const id = created.body.id as string;
    const prices = structuredClone(dimensionalProduct.prices);
    prices[0]!.pricing[0]!.values[0]!.values = [{ volume_rate: 2 }];

    // The tutorial's new version: name, prices, publish (Credyt sends the product's name).
    const v2 = await credyt("POST", `/products/${id}`, { name: "Glitch Images", prices, publish: true });
    expect(v2.status).toBe(201);
    expect(v2.body).toMatchObject({ version: 2, status: "published", is_default: false, name: "Glitch Images" });
    expect((await credyt("GET", `/products/${id}`)).body.name).toBe("Glitch Images");

    // The tutorial's PATCH with make_default; `default` then names version 2.
    const patched = await credyt("PATCH", `/products/${id}/2`, { publish: true, make_default: true });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ version: 2, is_default: true });
    const fast = [{ event_type: "video_generated", data: { speed: "fast", minutes: 1 } }];
    expect((await simulate(id, "default", fast))[0]!.fees[0]!.amount).toBe(2);

    const v3 = await credyt("POST", `/products/${id}`, { prices, publish: true, make_default: true });
    expect(v3.body).toMatchObject({ version: 3, is_default: true });
    expect((await credyt("PATCH", `/products/${id}/default`, { publish: true })).body).toMatchObject({ version: 3, is_default: true });
    const disagree = await credyt("POST", `/products/${id}`, { prices, publish: true, make_default: true, is_default: false });
    expect(disagree.status).toBe(422);
    expect(disagree.body.errors[0].field).toBe("make_default");
  });

  it("answers 404 for `default` while a product has no published version", async () => {
    const draft = await credyt("POST", "/products", { ...dimensionalProduct, code: "draft_only", publish: false });
    expect(draft.status).toBe(201);
    const res = await credyt("POST", `/products/${draft.body.id}/default/simulate-usage`, { events: [{ event_type: "video_generated", data: {} }] });
    expect(res.status).toBe(404);
    expect((await credyt("PATCH", `/products/${draft.body.id}/default`, { publish: true })).status).toBe(404);
  });
});
