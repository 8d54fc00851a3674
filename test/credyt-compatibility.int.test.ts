import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/lib/db";
import { startTestApiServer, type TestApiServer } from "@/test/api-server";
import { createTestPlatform } from "@/test/factories";
import { startStripeHarness, type StripeHarness } from "@/lib/top-ups/testing/stripe-harness";

/**
 * Credyt's quickstart, as a platform that wrote its code from Credyt's documentation runs
 * it against Drawdown: the same bodies (copied from the docs), Credyt's `X-CREDYT-API-KEY`
 * header, and the same paths after the base URL. Asserts the documented statuses, shapes
 * and exact balances. docs/credyt-compatibility.md lists what is the same and what is not.
 */

let server: TestApiServer;
let harness: StripeHarness;
let apiKey: string;

/** A request as Credyt's docs write it: `X-CREDYT-API-KEY`, the body as raw JSON text. */
async function credyt(method: string, pathname: string, body?: string) {
  const response = await fetch(`${server.url}/api/v1${pathname}`, {
    method,
    headers: { "X-CREDYT-API-KEY": apiKey, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body,
  });
  return { status: response.status, body: (await response.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

beforeAll(async () => {
  server = await startTestApiServer();
  // The Stripe emulator, for the custom-asset tutorial's top-up (Checkout).
  harness = await startStripeHarness();
  apiKey = (await createTestPlatform("Credyt quickstart")).apiKey;
});
afterAll(async () => {
  await harness.close();
  await server.close();
  await closeDb();
});

describe("Credyt's quickstart, unchanged but for the base URL and the key", () => {
  let customerId: string;

  it("1. creates the quickstart product", async () => {
    const res = await credyt(
      "POST",
      "/products",
      `{ "name": "Glitch Video", "code": "glitch_video_std",
        "prices": [ { "name": "Video Promotion", "type": "usage_based", "billing_model": { "type": "real_time" },
          "usage_calculation": { "event_type": "video_promoted", "usage_type": "unit", "source_reference_field": "video_id" },
          "pricing": [ { "asset": "USD", "values": [ { "unit_price": 0.5 } ] } ] } ],
        "publish": true }`,
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: expect.stringMatching(/^prp_/), code: "glitch_video_std", version: 1, status: "published", is_default: true });
  });

  it("2. creates a customer subscribed to it, and finds it by external_id and the product by code", async () => {
    const res = await credyt(
      "POST",
      "/customers",
      `{ "name": "Walter Kreiger", "external_id": "18991",
        "subscriptions": [ { "products": [ { "code": "glitch_video_std", "version": "default" } ] } ] }`,
    );
    expect(res.status).toBe(201);
    expect(res.body.id).toMatch(/^cust_/);
    customerId = res.body.id;
    // A new wallet shows a zero account per asset the subscribed product prices in.
    expect((await credyt("GET", `/customers/${customerId}/wallet`)).body).toEqual({
      accounts: [{ id: "default:USD", name: "default", asset: "USD", available: 0 }],
    });
    const account = await credyt("GET", `/customers/${customerId}/wallet/default:USD`);
    expect(account.status).toBe(200);
    expect(account.body).toMatchObject({ id: "default:USD", available: 0, pending_in: 0, pending_out: 0 });
    expect((await credyt("GET", "/customers?external_id=18991")).body.items.map((c: { id: string }) => c.id)).toEqual([customerId]);
    expect((await credyt("GET", "/products?code=glitch_video_std")).body.items[0].code).toBe("glitch_video_std");
  });

  it("3. pre-funds the balance with the pre-fund page's adjustment (no account_name)", async () => {
    const res = await credyt(
      "POST",
      `/customers/${customerId}/wallet/adjustments`,
      `{ "transaction_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "asset": "USD", "amount": 20, "reason": "external_topup", "metadata": { "psp": "stripe", "payment_intent": "pi_3RjbbNJNSIruR1rb0GwMGpH0" } }`,
    );
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), created_at: expect.any(String) });
  });

  it("4. sends the usage page's event by customer_id, and another by customer_external_id", async () => {
    const byId = await credyt(
      "POST",
      "/events",
      `{ "customer_id": "${customerId}",
        "events": [ { "id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "event_type": "video_promoted",
          "occurred_at": "2025-10-17T21:21:27.024729Z", "subject": "video_5f53d23a4958",
          "description": "Video Promoted", "data": { "promo_id": "pro_4tbftjwzxja1h71nzas1g0g1xm" } } ] }`,
    );
    expect(byId.status).toBe(200);
    expect(byId.body.results).toMatchObject([{ id: "3fa85f64-5717-4562-b3fc-2c963f66afa6", status: "billed", fees: [{ amount: 0.5, asset: "USD" }] }]);

    const byExternalId = await credyt(
      "POST",
      "/events",
      `{ "customer_external_id": "18991",
        "events": [ { "id": "8c1f2b6e-0d4a-4c1e-9d55-6b8f0b4f6a10", "event_type": "video_promoted",
          "occurred_at": "2025-10-17T21:25:00Z", "subject": "video_5f53d23a4958" } ] }`,
    );
    expect(byExternalId.status).toBe(200);
    expect(byExternalId.body.results).toMatchObject([{ status: "billed", fees: [{ amount: 0.5 }] }]);
  });

  it("5. reads the balance: wallet, account and the event's fees", async () => {
    const wallet = await credyt("GET", `/customers/${customerId}/wallet`);
    expect(wallet.body).toEqual({ accounts: [{ id: "default:USD", name: "default", asset: "USD", available: 19 }] });
    const account = await credyt("GET", `/customers/${customerId}/wallet/default:USD`);
    expect(account.body).toMatchObject({ id: "default:USD", name: "default", asset: "USD", available: 19, pending_in: 0, pending_out: 0 });
    const event = await credyt("GET", "/events/3fa85f64-5717-4562-b3fc-2c963f66afa6");
    expect(event.body.fees[0]).toMatchObject({ amount: 0.5, product_version: 1 });
  });

  it("keeps the value of the price's source_reference_field on the event, and filters by it", async () => {
    const sent = await credyt(
      "POST",
      "/events",
      `{ "customer_id": "${customerId}", "events": [
          { "id": "src-1", "event_type": "video_promoted", "occurred_at": "2025-10-17T21:30:00Z", "data": { "video_id": "vid_42" } },
          { "id": "src-2", "event_type": "video_promoted", "occurred_at": "2025-10-17T21:31:00Z", "data": { "video_id": 43 } } ] }`,
    );
    expect(sent.body.results.map((r: { status: string }) => r.status)).toEqual(["billed", "billed"]);
    expect((await credyt("GET", "/events/src-1")).body.source_reference).toBe("vid_42");
    expect((await credyt("GET", "/events/src-2")).body.source_reference).toBe("43");
    // the quickstart event's data has no video_id
    expect((await credyt("GET", "/events/3fa85f64-5717-4562-b3fc-2c963f66afa6")).body.source_reference).toBeNull();
    const found = await credyt("GET", "/events?source_reference=vid_42");
    expect(found.body.items.map((e: { id: string }) => e.id)).toEqual(["src-1"]);
  });

  it("6. opens the billing portal", async () => {
    const res = await credyt(
      "POST",
      "/billing-portal/sessions",
      `{ "customer_id": "${customerId}", "return_url": "https://example.com/account", "failure_url": "https://example.com/account/error" }`,
    );
    expect(res.body).toEqual({ redirect_url: expect.stringContaining("/api/sign-in?token="), expires_at: expect.any(String) });
  });
});

describe("accounts provisioned on subscribe", () => {
  it("a new wallet shows a zero default account per asset the subscribed prices use; from the first credit on, the accounts that exist", async () => {
    expect((await credyt("POST", "/assets", `{ "code": "PROVTOK", "name": "Tokens", "precision": 0, "rates": [ { "source": "USD", "rate": 0.001 } ] }`)).status).toBe(201);
    const product = await credyt(
      "POST",
      "/products",
      `{ "name": "Two assets", "code": "two_assets", "publish": true,
        "prices": [ { "name": "Calls", "type": "usage_based", "billing_model": { "type": "real_time" },
          "usage_calculation": { "event_type": "call", "usage_type": "unit" },
          "pricing": [ { "asset": "USD", "values": [ { "unit_price": 0.01 } ] }, { "asset": "PROVTOK", "values": [ { "unit_price": 10 } ] } ] },
          { "name": "Seat", "type": "fixed", "billing_model": { "type": "recurring", "recurring": { "interval": "month" } },
          "pricing": [ { "asset": "EUR", "values": [ { "unit_price": 5 } ] } ] } ] }`,
    );
    expect(product.status).toBe(201);
    const subscribed = await credyt("POST", "/customers", `{ "subscriptions": [ { "products": [ { "code": "two_assets" } ] } ] }`);
    expect((await credyt("GET", `/customers/${subscribed.body.id}/wallet`)).body.accounts).toEqual([
      { id: "default:EUR", name: "default", asset: "EUR", available: 0 },
      { id: "default:PROVTOK", name: "default", asset: "PROVTOK", available: 0 },
      { id: "default:USD", name: "default", asset: "USD", available: 0 },
    ]);
    const usd = await credyt("GET", `/customers/${subscribed.body.id}/wallet/default:USD`);
    expect(usd.status).toBe(200);
    expect(usd.body).toMatchObject({ id: "default:USD", available: 0, pending_in: 0, pending_out: 0, overdraft_limit: 0, low_balance_threshold: null });

    // PRODUCT.md's rule from the first credit on: the wallet lists the accounts that exist.
    const credit = `{ "transaction_id": "${crypto.randomUUID()}", "asset": "USD", "amount": 5, "reason": "gift" }`;
    expect((await credyt("POST", `/customers/${subscribed.body.id}/wallet/adjustments`, credit)).status).toBe(201);
    expect((await credyt("GET", `/customers/${subscribed.body.id}/wallet`)).body.accounts).toEqual([
      { id: "default:USD", name: "default", asset: "USD", available: 5 },
    ]);
    // A subscribed asset's account still answers at zero; an account no price uses is a 404.
    expect((await credyt("GET", `/customers/${subscribed.body.id}/wallet/default:PROVTOK`)).body).toMatchObject({ available: 0 });
    expect((await credyt("GET", `/customers/${subscribed.body.id}/wallet/team:USD`)).status).toBe(404);
    expect((await credyt("GET", `/customers/${subscribed.body.id}/wallet/default:GBP`)).status).toBe(404);

    const bare = await credyt("POST", "/customers", `{ "name": "No subscription" }`);
    expect((await credyt("GET", `/customers/${bare.body.id}/wallet`)).body.accounts).toEqual([]);
    expect((await credyt("GET", `/customers/${bare.body.id}/wallet/default:USD`)).status).toBe(404);
  });
});

describe("naming the customer of a usage event", () => {
  it("answers 422 for neither or both of customer_id and customer_external_id, 404 for an unknown external id", async () => {
    const event = `{ "id": "e-${Date.now()}", "event_type": "video_promoted", "occurred_at": "2025-10-17T21:21:27Z" }`;
    const neither = await credyt("POST", "/events", `{ "events": [ ${event} ] }`);
    expect(neither.status).toBe(422);
    expect(neither.body.errors).toEqual([{ field: "customer_id", message: "customer_id (or customer_external_id) is required" }]);

    const customer = await credyt("POST", "/customers", `{ "name": "Both", "external_id": "both-1" }`);
    const both = await credyt("POST", "/events", `{ "customer_id": "${customer.body.id}", "customer_external_id": "both-1", "events": [ ${event} ] }`);
    expect(both.status).toBe(422);
    expect(both.body.errors[0].field).toBe("customer_external_id");

    const unknown = await credyt("POST", "/events", `{ "customer_external_id": "nobody-${Date.now()}", "events": [ ${event} ] }`);
    expect(unknown.status).toBe(404);
  });

  it("never resolves another platform's external id", async () => {
    const other = (await createTestPlatform("Credyt other")).apiKey;
    const theirs = await fetch(`${server.url}/api/v1/customers`, {
      method: "POST",
      headers: { "X-CREDYT-API-KEY": other, "Content-Type": "application/json" },
      body: `{ "name": "Theirs", "external_id": "shared-external-id" }`,
    });
    expect(theirs.status).toBe(201);
    const res = await credyt(
      "POST",
      "/events",
      `{ "customer_external_id": "shared-external-id", "events": [ { "id": "x-${Date.now()}", "event_type": "video_promoted", "occurred_at": "2025-10-17T21:21:27Z" } ] }`,
    );
    expect(res.status).toBe(404);
  });
});

describe("nothing silently dropped", () => {
  let customerId: string;
  beforeAll(async () => {
    customerId = (await credyt("POST", "/customers", `{ "name": "Typo" }`)).body.id;
  });

  it("a mistyped field is a 422 naming it, in words for people, and nothing is written", async () => {
    const customer = await credyt("POST", "/customers", `{ "name": "Walter", "extrenal_id": "typo-1" }`);
    expect(customer.status).toBe(422);
    expect(customer.body.errors).toEqual([{ field: "extrenal_id", message: "Unknown field" }]);
    expect(customer.body.detail).toBe("The request has invalid fields: extrenal_id is not a field of this request.");
    expect((await credyt("GET", "/customers?external_id=typo-1")).body.total_count).toBe(0);

    const adjustment = await credyt(
      "POST",
      `/customers/${customerId}/wallet/adjustments`,
      `{ "transaction_id": "typo-adj", "asset": "USD", "ammount": 20, "reason": "external_topup" }`,
    );
    expect(adjustment.status).toBe(422);
    expect(adjustment.body.errors).toEqual(
      expect.arrayContaining([
        { field: "ammount", message: "Unknown field" },
        { field: "amount", message: "Required" },
      ]),
    );
    expect(adjustment.body.detail).toContain("amount is required");
    expect((await credyt("GET", `/customers/${customerId}/wallet`)).body.accounts).toEqual([]);
  });

  it("wrong types and values read as sentences, not validator wording", async () => {
    const res = await credyt(
      "POST",
      `/customers/${customerId}/wallet/adjustments`,
      `{ "transaction_id": 7, "asset": "USD", "amount": 5, "reason": "bonus" }`,
    );
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { field: "transaction_id", message: "Must be a string" },
        { field: "reason", message: expect.stringMatching(/^Must be one of: external_topup, /) },
      ]),
    );
    expect(JSON.stringify(res.body)).not.toMatch(/Invalid input|expected string|received/);
  });

  it("vendors and event costs as Credyt's profitability page writes them; an unknown vendor is a 422 and nothing is written", async () => {
    const vendor = await credyt("POST", "/events/vendors", `{ "name": "OpenAI", "external_id": "openai" }`);
    expect(vendor.status).toBe(201);
    expect(vendor.body).toMatchObject({ id: expect.stringMatching(/^vnd_/), created_at: expect.any(String) });
    expect((await credyt("GET", "/vendors?external_id=openai")).body.items.map((v: { id: string }) => v.id)).toEqual([vendor.body.id]);

    const unknown = await credyt(
      "POST",
      "/events",
      `{ "customer_id": "${customerId}", "events": [ { "id": "cost-1", "event_type": "video_promoted", "occurred_at": "2025-10-17T21:21:27Z",
          "costs": [ { "vendor_id": "vnd_1", "amount": 0.1, "currency": "USD" } ] } ] }`,
    );
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([{ field: "events/0/costs/0/vendor_id", message: "No vendor vnd_1" }]);
    expect((await credyt("GET", "/events/cost-1")).status).toBe(404);

    const sent = await credyt(
      "POST",
      "/events",
      `{ "customer_id": "${customerId}", "events": [ { "id": "cost-2", "event_type": "video_promoted", "occurred_at": "2025-10-17T21:21:27Z",
          "costs": [ { "vendor_external_id": "openai", "amount": 0.1, "currency": "USD" } ] } ] }`,
    );
    expect(sent.status).toBe(200);
    expect((await credyt("GET", "/events/cost-2")).body.costs).toEqual([{ vendor_id: vendor.body.id, amount: 0.1, currency: "USD", description: null, dimensions: null }]);
    // Bruno's "Get Customer Stats" reads `id`; the vendor's stats exist too.
    const stats = await credyt("GET", `/customers/${customerId}/stats?from=2025-10-01&to=2025-10-31`);
    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject({ id: customerId, costs: [{ currency: "USD", amount: 0.1 }] });
    expect((await credyt("GET", `/vendors/${vendor.body.id}/stats?from=2025-10-01&to=2025-10-31`)).body).toMatchObject({ id: vendor.body.id, costs: [{ currency: "USD", amount: 0.1 }] });
  });

  it("Credyt fields Drawdown does not act on yet are refused as not supported, never dropped", async () => {
    const subscription = await credyt(
      "POST",
      "/customers",
      `{ "name": "Pro", "subscriptions": [ { "products": [ { "code": "glitch_video_std" } ], "return_url": "https://example.com/back" } ] }`,
    );
    expect(subscription.status).toBe(422);
    expect(subscription.body.errors).toEqual([{ field: "subscriptions/0/return_url", message: expect.stringMatching(/^Not supported yet: /) }]);

    const entitlements = await credyt("POST", "/products", `{ "name": "E", "code": "ent", "prices": [], "entitlements": [ { "asset": "USD" } ] }`);
    expect(entitlements.status).toBe(422);
    expect(entitlements.body.errors.map((e: { field: string }) => e.field)).toContain("entitlements");
  });
});

describe("Credyt's tutorials: volume, package size and a custom asset", () => {
  async function customerFor(code: string, funding: string): Promise<string> {
    const customer = await credyt("POST", "/customers", `{ "name": "Tutorial", "subscriptions": [ { "products": [ { "code": "${code}" } ] } ] }`);
    expect(customer.status).toBe(201);
    const funded = await credyt("POST", `/customers/${customer.body.id}/wallet/adjustments`, funding);
    expect(funded.status).toBe(201);
    return customer.body.id as string;
  }

  async function sendOne(customerId: string, eventType: string, data: string) {
    const res = await credyt(
      "POST",
      "/events",
      `{ "customer_id": "${customerId}", "events": [ { "id": "${crypto.randomUUID()}", "event_type": "${eventType}", "occurred_at": "2025-10-17T21:21:27Z", "data": ${data} } ] }`,
    );
    expect(res.status).toBe(200);
    return res.body.results[0];
  }

  it("volume pricing: $0.15 per minute of speech", async () => {
    const product = await credyt(
      "POST",
      "/products",
      `{ "name": "ElevenLabs TTS", "code": "elevenlabs_tts", "publish": true,
        "prices": [ { "name": "Speech minutes", "type": "usage_based", "billing_model": { "type": "real_time" },
          "usage_calculation": { "event_type": "speech_generated", "usage_type": "volume", "volume_field": "minutes" },
          "pricing": [ { "asset": "USD", "values": [ { "volume_rate": 0.15 } ] } ] } ] }`,
    );
    expect(product.status).toBe(201);
    const id = await customerFor("elevenlabs_tts", `{ "transaction_id": "${crypto.randomUUID()}", "asset": "USD", "amount": 10, "reason": "external_topup" }`);
    expect(await sendOne(id, "speech_generated", `{ "minutes": 12.5 }`)).toMatchObject({ status: "billed", fees: [{ amount: 1.875, asset: "USD" }] });
    expect((await credyt("GET", `/customers/${id}/wallet/default:USD`)).body.available).toBe(8.125);
  });

  it("package size: $1.25 per 1,000,000 input tokens, exact to the token", async () => {
    const product = await credyt(
      "POST",
      "/products",
      `{ "name": "OpenAI API", "code": "openai_api_gpt", "publish": true,
        "prices": [ { "name": "Input tokens", "type": "usage_based", "billing_model": { "type": "real_time" },
          "usage_calculation": { "event_type": "chat_completion", "usage_type": "volume", "volume_field": "input_tokens" },
          "pricing": [ { "asset": "USD", "values": [ { "volume_rate": 1.250, "package_size": 1000000 } ] } ] } ] }`,
    );
    expect(product.status).toBe(201);
    const id = await customerFor("openai_api_gpt", `{ "transaction_id": "${crypto.randomUUID()}", "asset": "USD", "amount": 5, "reason": "external_topup" }`);
    expect(await sendOne(id, "chat_completion", `{ "input_tokens": 2353 }`)).toMatchObject({ status: "billed", fees: [{ amount: 0.00294125 }] });
    // no input_tokens: unbilled, never billed as 0
    expect(await sendOne(id, "chat_completion", `{ "output_tokens": 10 }`)).toMatchObject({ status: "unbilled", reason: "missing_volume_field" });
    expect((await credyt("GET", `/customers/${id}/wallet`)).body.accounts).toEqual([
      { id: "default:USD", name: "default", asset: "USD", available: 4.99705875 },
    ]);
  });

  it("a custom asset: created, pre-funded and charged in its units, topped up from USD at its rate", async () => {
    const asset = await credyt(
      "POST",
      "/assets",
      `{ "code": "VIDGENMIN", "name": "Video Generation Minutes", "precision": 2, "symbol": "⏰", "label": "MIN", "rates": [ { "source": "USD", "rate": 0.10 } ] }`,
    );
    expect(asset.status).toBe(201);
    expect((await credyt("POST", "/assets/VIDGENMIN/quote", `{ "source": "USD", "amount": 10 }`)).body).toMatchObject({ units: 100 });
    const product = await credyt(
      "POST",
      "/products",
      `{ "name": "Glitch Video Minutes", "code": "glitch_minutes", "publish": true,
        "prices": [ { "name": "Minutes", "type": "usage_based", "billing_model": { "type": "real_time" },
          "usage_calculation": { "event_type": "video_generated", "usage_type": "volume", "volume_field": "minutes" },
          "pricing": [ { "asset": "VIDGENMIN", "values": [ { "volume_rate": 1 } ] } ] } ] }`,
    );
    expect(product.status).toBe(201);
    const id = await customerFor("glitch_minutes", `{ "transaction_id": "${crypto.randomUUID()}", "asset": "VIDGENMIN", "amount": 30, "reason": "gift" }`);
    expect(await sendOne(id, "video_generated", `{ "minutes": 2.5 }`)).toMatchObject({ status: "billed", fees: [{ amount: 2.5, asset: "VIDGENMIN" }] });
    expect((await credyt("GET", `/customers/${id}/wallet/default:VIDGENMIN`)).body.available).toBe(27.5);

    const topUp = await credyt("POST", "/top-ups", `{ "customer_id": "${id}", "amount": 10, "currency": "USD", "destination": { "asset": "VIDGENMIN" } }`);
    expect(topUp.status).toBe(201);
    expect(topUp.body).toMatchObject({ status: "initiated", redirect_url: expect.stringContaining("/api/sign-in?token=") });
    expect((await credyt("GET", `/top-ups/${topUp.body.id}`)).body).toMatchObject({ credit_amount: 100, destination: { asset: "VIDGENMIN" } });
  });
});
