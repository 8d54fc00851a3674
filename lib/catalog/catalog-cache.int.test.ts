import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, prisma } from "@/lib/db";
import { databaseUrl } from "@/lib/env";
import { dec } from "@/lib/money";
import { createTestCustomer, createTestPlatform } from "@/test/factories";
import { COHERENT_TTL_MS, catalogCacheTtlMs, catalogGeneration } from "./catalog-cache";
import { createProduct, subscribeCustomer, subscribedPrices, type PriceInput } from "./index";
import type { Tenant } from "@/lib/tenant";

/**
 * Another process's catalog change, as this process sees it: the write is made on a
 * connection of its own (not through lib/catalog, so nothing in this process is told) and
 * followed by the NOTIFY that lib/catalog sends after every write.
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

describe("subscribed prices across processes", () => {
  it("keeps a customer's prices cached long while listening, and drops them on another process's NOTIFY", async () => {
    const first = await createProduct(tenant, { name: "First", code: "first", publish: true, prices: [unitPrice("1")] });
    const second = await createProduct(tenant, { name: "Second", code: "second", publish: true, prices: [unitPrice("2")] });
    const customer = await createTestCustomer(tenant.platformId);
    await subscribeCustomer(tenant, customer.customerId, [{ code: "first", version: "default" }]);
    expect(await priceOf(customer.customerId)).toEqual([first.id]); // starts the listener
    await waitFor(async () => catalogCacheTtlMs() === COHERENT_TTL_MS);

    // Other test files write catalogs (and notify) concurrently: a window in which any
    // notification arrived proves nothing about caching, so count them and retry.
    let foreign = 0;
    const watcher = new pg.Client({ connectionString: databaseUrl() });
    await watcher.connect();
    watcher.on("notification", () => foreign++);
    await watcher.query("LISTEN drawdown_catalog");
    try {
      let proven = false;
      for (let attempt = 0; attempt < 20 && !proven; attempt++) {
        // Back to the first product, announced: wait until both this process's listener and
        // the watcher have seen the announcement, then load the prices into the cache.
        const generation = catalogGeneration();
        const seen = foreign;
        await other.query("UPDATE subscriptions SET product_id = $1 WHERE customer_id = $2", [first.id, customer.customerId]);
        await other.query("SELECT pg_notify('drawdown_catalog', '')");
        await waitFor(async () => catalogGeneration() !== generation && foreign > seen);
        expect(await priceOf(customer.customerId)).toEqual([first.id]);
        const before = foreign;
        // Another process moves the customer to the second product without telling anyone...
        await other.query("UPDATE subscriptions SET product_id = $1 WHERE customer_id = $2", [second.id, customer.customerId]);
        const answer = await priceOf(customer.customerId);
        await new Promise((r) => setTimeout(r, 50)); // let a racing notification reach the watcher
        if (foreign !== before) continue;
        // ...so this process still answers from its cache.
        expect(answer).toEqual([first.id]);
        proven = true;
      }
      expect(proven).toBe(true);
    } finally {
      await watcher.end();
    }
    expect(await prisma().subscription.count({ where: { customerId: customer.customerId, productId: second.id } })).toBe(1);

    // With the NOTIFY every catalog write sends, the change is seen at once.
    await other.query("SELECT pg_notify('drawdown_catalog', '')");
    await waitFor(async () => (await priceOf(customer.customerId))[0] === second.id);
  });

  it("notifies other processes when this one writes", async () => {
    const received: string[] = [];
    const listener = new pg.Client({ connectionString: databaseUrl() });
    await listener.connect();
    try {
      listener.on("notification", (n) => received.push(n.channel));
      await listener.query("LISTEN drawdown_catalog");
      await createProduct(tenant, { name: "Third", code: "third", publish: true, prices: [unitPrice("3")] });
      await waitFor(async () => received.length > 0);
      expect(received[0]).toBe("drawdown_catalog");
    } finally {
      await listener.end();
    }
  });
});
