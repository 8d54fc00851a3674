import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, prisma } from "@/lib/db";
import { databaseUrl } from "@/lib/env";
import { dec } from "@/lib/money";
import { createTestCustomer, createTestPlatform } from "@/test/factories";
import { COHERENT_TTL_MS, catalogCacheTtlMs, catalogGeneration, onCatalogInvalidate, parseCatalogChange, type CatalogChange } from "./catalog-cache";
import { createProduct, subscribeCustomer, subscribedPrices, type PriceInput } from "./index";
import type { Tenant } from "@/lib/tenant";

/**
 * Another process's catalog change, as this process sees it: the write is made on a
 * connection of its own (not through lib/catalog, so nothing in this process is told) and
 * followed by the NOTIFY, with its payload, that lib/catalog sends after every write.
 */

const unitPrice = (amount: string): PriceInput => ({
  name: "Requests",
  type: "usage_based",
  billing_model: { type: "real_time" },
  usage_calculation: { event_type: "api_call", usage_type: "unit" },
  pricing: [{ asset: "USD", values: [{ unit_price: dec(amount) }] }],
});

let tenant: Tenant;
let other: pg.Client;
beforeAll(async () => {
  tenant = await createTestPlatform("Catalog cache tests");
  other = new pg.Client({ connectionString: databaseUrl() });
  await other.connect();
});
afterAll(async () => {
  await other.end();
  await closeDb();
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

const priceOf = async (customerId: string) => (await subscribedPrices(customerId)).map((p) => p.productId);

/** A NOTIFY as lib/catalog sends it after a write, here from "another process". */
const announce = (change: CatalogChange) => other.query("SELECT pg_notify('drawdown_catalog', $1)", [JSON.stringify(change)]);

/** Payloads this process's own listener received (the same callback the caches use). */
const received: string[] = [];
onCatalogInvalidate((payload) => received.push(payload));

describe("subscribed prices across processes", () => {
  it("keeps a customer's prices cached long while listening, and drops them on another process's NOTIFY", async () => {
    const first = await createProduct(tenant, { name: "First", code: "first", publish: true, prices: [unitPrice("1")] });
    const second = await createProduct(tenant, { name: "Second", code: "second", publish: true, prices: [unitPrice("2")] });
    const customer = await createTestCustomer(tenant.platformId);
    await subscribeCustomer(tenant, customer.customerId, [{ code: "first", version: "default" }]);
    expect(await priceOf(customer.customerId)).toEqual([first.id]); // starts the listener
    await waitFor(async () => catalogCacheTtlMs() === COHERENT_TTL_MS);

    // Other test files write catalogs (and notify) concurrently, and any notification
    // empties the cache: an answer proves caching only if no invalidation happened between
    // the load and the answer, which catalogGeneration() tells exactly. Retry otherwise.
    let proven = false;
    for (let attempt = 0; attempt < 20 && !proven; attempt++) {
      // Back to the first product, then load the prices into the cache.
      await other.query("UPDATE subscriptions SET product_id = $1 WHERE customer_id = $2", [first.id, customer.customerId]);
      const announced = catalogGeneration();
      await announce({ platformId: tenant.platformId, customerId: customer.customerId });
      await waitFor(async () => catalogGeneration() !== announced);
      expect(await priceOf(customer.customerId)).toEqual([first.id]);
      const cached = catalogGeneration();
      // Another process moves the customer to the second product without telling anyone...
      await other.query("UPDATE subscriptions SET product_id = $1 WHERE customer_id = $2", [second.id, customer.customerId]);
      const answer = await priceOf(customer.customerId);
      if (catalogGeneration() !== cached) continue; // someone's notification emptied the cache
      // ...so this process still answers from its cache.
      expect(answer).toEqual([first.id]);
      proven = true;
    }
    expect(proven).toBe(true);
    expect(await prisma().subscription.count({ where: { customerId: customer.customerId, productId: second.id } })).toBe(1);

    // With the NOTIFY every catalog write sends, the change is seen at once, and this
    // process's listener received exactly that payload.
    const change = { platformId: tenant.platformId, customerId: customer.customerId };
    await announce(change);
    await waitFor(async () => (await priceOf(customer.customerId))[0] === second.id);
    expect(received.map(parseCatalogChange)).toContainEqual(change);
  });

  it("notifies other processes of each write, with the platform and what changed", async () => {
    const payloads: string[] = [];
    const listener = new pg.Client({ connectionString: databaseUrl() });
    await listener.connect();
    // Other test files' writes notify on the same channel: only this platform's count.
    const ours = () => payloads.map(parseCatalogChange).filter((c) => c?.platformId === tenant.platformId);
    try {
      listener.on("notification", (n) => {
        if (n.channel === "drawdown_catalog") payloads.push(n.payload ?? "");
      });
      await listener.query("LISTEN drawdown_catalog");
      const product = await createProduct(tenant, { name: "Third", code: "third", publish: true, prices: [unitPrice("3")] });
      await waitFor(async () => ours().length > 0);
      expect(ours()).toEqual([{ platformId: tenant.platformId, productId: product.id }]);

      const customer = await createTestCustomer(tenant.platformId);
      await subscribeCustomer(tenant, customer.customerId, [{ code: "third" }]);
      await waitFor(async () => ours().length > 1);
      expect(ours()[1]).toEqual({ platformId: tenant.platformId, customerId: customer.customerId });
    } finally {
      await listener.end();
    }
  });
});
