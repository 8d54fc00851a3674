import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, prisma } from "@/lib/db";
import { waitFor } from "@/lib/top-ups/testing/stripe-harness";
import { dispatchWebhooks } from "@/lib/webhooks/dispatch-webhooks";
import { createTestCustomer, createTestPlatform } from "@/test/factories";
import { productExample } from "@/test/seed";
import { toCamelCase } from "../src/core/casing";
import {
  DrawdownAuthenticationError,
  DrawdownClient,
  DrawdownConflictError,
  DrawdownNotFoundError,
  DrawdownValidationError,
  type CreateProductParams,
} from "../src/index";
import { setUpChatProduct, startSdkTestApp, type SdkTestApp } from "./support";

/**
 * Every method of the SDK against the real app (route handlers over HTTP, embedded
 * PostgreSQL, the Stripe emulator): camelCase requests reach the API as its snake_case
 * contract, answers come back camelCased, lists page, and errors are typed.
 */

let app: SdkTestApp;
let client: DrawdownClient;
let customerId: string;

beforeAll(async () => {
  app = await startSdkTestApp("SDK contract");
  client = app.client();
  ({ customerId } = await createTestCustomer(app.platform.platformId));
  await setUpChatProduct(app, customerId);
});
afterAll(async () => {
  await app?.close();
  await closeDb();
});

const uuid = () => crypto.randomUUID();
const hasSnakeKeys = (value: unknown): boolean =>
  Array.isArray(value)
    ? value.some(hasSnakeKeys)
    : value !== null && typeof value === "object"
      ? Object.entries(value).some(([k, v]) => k.includes("_") || (!["data", "metadata", "dimensions"].includes(k) && hasSnakeKeys(v)))
      : false;

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe("customers", () => {
  it("create, get, list, listAll", async () => {
    const externalId = `ext_${uuid()}`;
    const created = await client.customers.create({
      name: "Walter",
      email: "walter@example.com",
      externalId,
      metadata: { crm_id: "A-1", planTier: "pro" },
      subscriptions: [{ products: [{ code: "chat", version: "default" }] }],
    });
    expect(created).toMatchObject({
      id: expect.stringMatching(/^cust_/),
      name: "Walter",
      externalId,
      metadata: { crm_id: "A-1", planTier: "pro" },
      subscriptions: [{ products: [{ code: "chat", version: "default", id: expect.stringMatching(/^prp_/) }] }],
    });
    expect(await client.customers.get(created.id)).toEqual(created);
    const page = await client.customers.list({ externalId });
    expect(page).toEqual({ items: [created], totalCount: 1, limit: 20, offset: 0 });
    expect(hasSnakeKeys(page)).toBe(false);
    expect(await collect(client.customers.listAll({ externalId }))).toEqual([created]);

    const duplicate = await client.customers.create({ externalId }).catch((e: unknown) => e);
    expect(duplicate).toBeInstanceOf(DrawdownConflictError);
    expect(duplicate).toMatchObject({ status: 409, code: "conflict", problem: { existingId: created.id } });
  });

  it("throws DrawdownNotFoundError for another platform's customer and DrawdownAuthenticationError for a bad key", async () => {
    const other = await createTestPlatform("SDK other");
    const { customerId: theirs } = await createTestCustomer(other.platformId);
    const notFound = await client.customers.get(theirs).catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(DrawdownNotFoundError);
    expect(notFound).toMatchObject({ status: 404, title: "Not found", requestId: expect.stringMatching(/^req_/) });
    const badKey = app.client({ apiKey: "dd_test_nope" });
    await expect(badKey.customers.list()).rejects.toBeInstanceOf(DrawdownAuthenticationError);
  });
});

describe("customerWalletOps", () => {
  it("createAdjustment, getCustomerWallet, getAccount, updateAccount, listCreditGrants, listTransactions (and listAll)", async () => {
    const { customerId: id } = await createTestCustomer(app.platform.platformId);
    for (const amount of [10, 20, 30]) {
      const transactionId = uuid();
      const created = await client.customerWalletOps.createAdjustment(id, {
        transactionId,
        asset: "USD",
        amount,
        reason: "external_topup",
        metadata: { order_id: `o-${amount}` },
      });
      expect(created).toEqual({ id: transactionId, createdAt: expect.any(String) });
    }
    expect(await client.customerWalletOps.getCustomerWallet(id)).toEqual({
      accounts: [{ id: "default:USD", name: "default", asset: "USD", available: 60 }],
    });
    const updated = await client.customerWalletOps.updateAccount(id, "default:USD", { overdraftLimit: 5, lowBalanceThreshold: 2 });
    expect(updated).toMatchObject({ id: "default:USD", available: 60, pendingIn: 0, pendingOut: 0, overdraftLimit: 5, lowBalanceThreshold: 2 });
    expect(await client.customerWalletOps.getAccount(id, "default:USD")).toEqual(updated);
    expect(await client.customerWalletOps.getAutoTopUp(id, "default:USD")).toMatchObject({ accountId: "default:USD", configured: false, enabled: false, lastAutoTopUp: null });
    expect(await client.customerWalletOps.disableAutoTopUp(id, "default:USD")).toMatchObject({ configured: false, enabled: false });

    const grants = await client.customerWalletOps.listCreditGrants(id, { limit: 2 });
    expect(grants).toMatchObject({ totalCount: 3, limit: 2, offset: 0 });
    expect(grants.items[0]).toMatchObject({ accountId: "default:USD", purpose: "paid", amount: 30, remaining: 30, source: { reason: "external_topup" } });
    const allGrants = await collect(client.customerWalletOps.listAllCreditGrants(id, { limit: 2 }));
    expect(allGrants.map((g) => g.amount)).toEqual([30, 20, 10]);

    const transactions = await client.customerWalletOps.listTransactions(id);
    expect(transactions.totalCount).toBe(3);
    expect(transactions.items[0]).toMatchObject({
      kind: "credit",
      metadata: { order_id: "o-30" }, // the platform's keys, as written
      entries: [{ accountId: "default:USD", asset: "USD", amount: 30, grantId: grants.items[0]!.id }],
    });
    expect((await collect(client.customerWalletOps.listAllTransactions(id, { limit: 1 }))).length).toBe(3);

    const refused = await client.customerWalletOps
      .createAdjustment(id, { transactionId: uuid(), asset: "USD", amount: -100, reason: "charge" })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DrawdownValidationError);
    expect(refused).toMatchObject({ status: 422, code: "insufficient_funds" });
  });
});

describe("events", () => {
  it("sendUsage, get, list, listAll", async () => {
    const { customerId: id } = await createTestCustomer(app.platform.platformId);
    await setUpSubscription(id);
    await client.customerWalletOps.createAdjustment(id, { transactionId: uuid(), asset: "CREDIT", amount: 3, reason: "gift" });
    const events = Array.from({ length: 5 }, (_, i) => ({
      id: `evt-${i}-${uuid()}`,
      eventType: "api_call",
      occurredAt: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString(),
      subject: `req_${i}`,
      data: { request_path: "/v1/chat", retryCount: i },
    }));
    // 1 CREDIT per api_call, 3 CREDIT in the wallet
    const sent = await client.events.sendUsage({ customerId: id, events });
    expect(sent.results.map((r) => r.status)).toEqual(["billed", "billed", "billed", "refused", "refused"]);
    expect(sent.results[0]).toEqual({
      id: events[0]!.id,
      status: "billed",
      fees: [{ amount: 1, asset: "CREDIT", accountId: "default:CREDIT", productId: expect.stringMatching(/^prp_/), productVersion: 1, priceName: "Requests", balanceAfter: 2 }],
    });
    expect(sent.results[3]).toMatchObject({ status: "refused", reason: "insufficient_funds" });

    const stored = await client.events.get(events[0]!.id, { customerId: id });
    expect(stored).toMatchObject({ id: events[0]!.id, customerId: id, eventType: "api_call", subject: "req_0", status: "billed", data: { request_path: "/v1/chat", retryCount: 0 } });
    const page = await client.events.list({ customerId: id, limit: 2 });
    expect(page).toMatchObject({ limit: 2, offset: 0, totalCount: 5 });
    expect(page.items).toHaveLength(2);
    expect(hasSnakeKeys(page)).toBe(false);
    expect((await client.events.list({ customerId: id, status: "refused" })).totalCount).toBe(2);
    const all = await collect(client.events.listAll({ customerId: id, limit: 2 }));
    expect(all.map((e) => e.id).sort()).toEqual(events.map((e) => e.id).sort());

    await expect(client.events.get("no-such-event")).rejects.toBeInstanceOf(DrawdownNotFoundError);
  });
});

describe("topUps", () => {
  it("initiate (seed body, rate 1), get, list, listAll; a paid top-up credits the wallet", async () => {
    const { customerId: id } = await createTestCustomer(app.platform.platformId);
    const first = await client.topUps.initiate({ customerId: id, amount: 50, currency: "USD", metadata: { order_id: "order_12345" } });
    expect(first).toMatchObject({ status: "initiated", customerId: id, creditAmount: 50, destination: { accountName: "default", asset: "USD", exchangeRate: 1 }, metadata: { order_id: "order_12345" } });
    const second = await client.topUps.initiate({ customerId: id, amount: 10, currency: "USD", destination: { asset: "TOK" } });
    expect(second).toMatchObject({ destination: { accountName: "default", asset: "TOK", exchangeRate: 1_000_000 }, creditAmount: 10_000_000 });

    const { redirectUrl: _redirect, ...stored } = first;
    expect(await client.topUps.get(first.id)).toEqual(expect.objectContaining({ ...stored, updatedAt: expect.any(String) }));
    expect(await client.topUps.list({ customerId: id })).toMatchObject({ totalCount: 2, items: [{ id: second.id }, { id: first.id }] });
    expect((await collect(client.topUps.listAll({ customerId: id, limit: 1 }))).map((t) => t.id)).toEqual([second.id, first.id]);
    expect((await client.customerWalletOps.getAccount(id, "default:TOK").catch(() => null))).toBeNull(); // no account before payment

    const session = (await prisma().topUp.findUniqueOrThrow({ where: { id: first.id } })).checkoutSessionId!;
    app.stripe.emulator.pay(session);
    const paid = await waitFor(async () => {
      const topUp = await client.topUps.get(first.id);
      return topUp.status === "succeeded" && topUp;
    }, "the top-up to succeed");
    expect(paid.grantId).toEqual(expect.any(String));
    expect((await client.customerWalletOps.getAccount(id, "default:USD")).available).toBe(50);
  });
});

describe("assets and products", () => {
  it("assets: create, get, list, listAll, quote", async () => {
    const created = await client.assets.create({ code: "GEM", name: "Gems", precision: 0, symbol: "◆", rates: [{ source: "USD", rate: 0.05 }] });
    expect(created).toMatchObject({ code: "GEM", isFiat: false, rates: [{ source: "USD", rate: 0.05 }] });
    expect(await client.assets.get("GEM")).toEqual(created);
    expect((await client.assets.get("USD")).isFiat).toBe(true);
    const page = await client.assets.list();
    expect(page.items.map((a) => a.code).sort()).toEqual(["CREDIT", "GEM", "TOK"]);
    expect((await collect(client.assets.listAll({ limit: 1 }))).map((a) => a.code).sort()).toEqual(["CREDIT", "GEM", "TOK"]);
    expect(await client.assets.quote("GEM", { source: "USD", amount: 10 })).toMatchObject({ asset: "GEM", source: "USD", units: 200 });
  });

  it("products: create, get, list, listAll, createVersion, updateVersion, simulateUsage", async () => {
    const platform = await createTestPlatform("SDK catalog");
    const catalog = new DrawdownClient({ apiKey: platform.apiKey, baseUrl: app.server.url });
    await catalog.assets.create({ code: "CREDIT", name: "Credits", precision: 2 });
    const v1 = await catalog.products.create(toCamelCase(productExample) as CreateProductParams);
    expect(v1).toMatchObject({ code: "chat", version: 1, status: "published", isDefault: true, defaultVersion: 1 });
    // price objects come back camelCased, except dimensions (keyed by data fields)
    expect(v1.prices[0]).toMatchObject({
      usageCalculation: { eventType: "message_completed", volumeField: "input_tokens", billableDimensions: ["model"] },
      pricing: [{ asset: "USD", values: [{ dimensions: { model: "gpt-4-1" }, volumeRate: 1.25, packageSize: 1000000 }, expect.anything()] }],
    });
    const v2 = await catalog.products.createVersion(v1.id, {
      prices: [{ name: "Requests", type: "usage_based", usageCalculation: { eventType: "api_call", usageType: "unit" }, pricing: [{ asset: "USD", values: [{ unitPrice: 0.01 }] }] }],
    });
    expect(v2).toMatchObject({ version: 2, status: "draft", isDefault: false });
    expect(await catalog.products.updateVersion(v1.id, 2, { publish: true, isDefault: true })).toMatchObject({ version: 2, status: "published", isDefault: true });
    const product = await catalog.products.get(v1.id);
    expect(product).toMatchObject({ id: v1.id, defaultVersion: 2, latestVersion: 2, versions: [expect.objectContaining({ version: 1 }), expect.objectContaining({ version: 2 })] });
    expect(await catalog.products.list()).toMatchObject({ totalCount: 1, items: [{ id: v1.id, latestVersion: 2 }] });
    expect((await collect(catalog.products.listAll())).map((p) => p.id)).toEqual([v1.id]);
    const simulated = await catalog.products.simulateUsage(v1.id, 1, { events: [{ eventType: "message_completed", data: { model: "gpt-4-1", input_tokens: 1_000_000 } }] });
    expect(simulated.results).toEqual([{ eventType: "message_completed", status: "billed", fees: [expect.objectContaining({ amount: 1.25, asset: "USD", priceName: "Input tokens", productVersion: 1 })] }]);
  });
});

describe("billingPortal", () => {
  it("createPortalSession", async () => {
    const session = await client.billingPortal.createPortalSession({ customerId, returnUrl: "https://glitch.ai/account" });
    expect(session).toEqual({ redirectUrl: expect.stringMatching(/\/api\/sign-in\?token=/), expiresAt: expect.any(String) });
    const invalid = await client.billingPortal.createPortalSession({ customerId, returnUrl: "javascript:alert(1)" }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(DrawdownValidationError);
    expect(invalid).toMatchObject({ errors: [expect.objectContaining({ field: "return_url" })] });
  });
});

describe("webhooks", () => {
  it("create, get, list, listAll, delete; a real delivery verifies with verifySignature", async () => {
    const received: { body: string; signature: string | undefined }[] = [];
    const receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({ body: Buffer.concat(chunks).toString("utf8"), signature: req.headers["drawdown-signature"] as string | undefined });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
      const endpoint = await client.webhooks.create({ url, topics: ["event.refused"], description: "SDK test" });
      expect(endpoint).toMatchObject({ url, topics: ["event.refused"], secret: expect.stringMatching(/^whsec_/), createdAt: expect.any(String) });
      expect(await client.webhooks.get(endpoint.id)).toMatchObject({ id: endpoint.id, deliveries: [] });
      expect((await client.webhooks.list()).items.map((e) => e.id)).toContain(endpoint.id);
      expect((await collect(client.webhooks.listAll({ limit: 1 }))).map((e) => e.id)).toContain(endpoint.id);

      // a refused event (no CREDIT left) produces an event.refused delivery
      const { customerId: broke } = await createTestCustomer(app.platform.platformId);
      await setUpSubscription(broke);
      const refused = await client.events.sendUsage({ customerId: broke, events: [{ id: uuid(), eventType: "api_call", occurredAt: new Date().toISOString() }] });
      expect(refused.results[0]).toMatchObject({ status: "refused", reason: "insufficient_funds" });
      await waitFor(async () => {
        await dispatchWebhooks();
        return received.length > 0;
      }, "the webhook delivery");
      const [delivery] = received;
      expect(await client.webhooks.verifySignature(delivery!.body, delivery!.signature, endpoint.secret)).toBe(true);
      expect(await client.webhooks.verifySignature(delivery!.body, delivery!.signature, "whsec_wrong")).toBe(false);
      expect(JSON.parse(delivery!.body)).toMatchObject({ type: "event.refused" });

      expect(await client.webhooks.delete(endpoint.id)).toEqual({ id: endpoint.id, deleted: true });
      await expect(client.webhooks.get(endpoint.id)).rejects.toBeInstanceOf(DrawdownNotFoundError);
    } finally {
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });
});

describe("apiKeys", () => {
  it("create, get, list, listAll, revoke: the new key works, then is refused", async () => {
    const created = await client.apiKeys.create({ name: "SDK rotation" });
    expect(created).toEqual({
      id: expect.stringMatching(/^key_/),
      name: "SDK rotation",
      prefix: expect.stringMatching(/^dd_test_/),
      mode: "test",
      createdAt: expect.any(String),
      lastUsedAt: null,
      revokedAt: null,
      secret: expect.stringMatching(/^dd_test_/),
    });
    const rotated = app.client({ apiKey: created.secret });
    const { secret, ...shown } = created;
    // the get itself may already be recorded as the key's last use
    expect(await rotated.apiKeys.get(created.id)).toEqual({ ...shown, lastUsedAt: expect.toBeOneOf([null, expect.any(String)]) });
    expect((await client.apiKeys.list()).items.map((k) => k.id)).toContain(created.id);
    const all = await collect(client.apiKeys.listAll({ limit: 1 }));
    expect(all.map((k) => k.id)).toEqual(expect.arrayContaining([created.id, app.platform.apiKeyId]));
    expect(JSON.stringify(all)).not.toContain(secret);

    const revoked = await client.apiKeys.revoke(created.id);
    expect(revoked).toMatchObject({ id: created.id, revokedAt: expect.any(String) });
    await expect(rotated.apiKeys.list()).rejects.toBeInstanceOf(DrawdownAuthenticationError);
    await expect(client.apiKeys.revoke("key_doesnotexist")).rejects.toBeInstanceOf(DrawdownNotFoundError);
  });
});

async function setUpSubscription(id: string): Promise<void> {
  const { subscribeCustomer } = await import("@/lib/catalog");
  await subscribeCustomer(app.platform, id, [{ code: "chat", version: "default" }]);
}
