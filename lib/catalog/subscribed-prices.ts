import { prisma } from "@/lib/db";
import type { SubscribedPrice } from "@/lib/pricing";
import { catalogCacheTtlMs, catalogGeneration, onCatalogInvalidate, startCatalogListener } from "./catalog-cache";
import type { CatalogDb } from "./catalog-db";
import { pricedAssets, pricesFromStored, toSubscribedPrices } from "./price-definition";

/**
 * A customer's resolved prices are reused until a catalog write anywhere empties the
 * cache (catalog-cache.ts: at once in this process, by NOTIFY in the others), or for
 * catalogCacheTtlMs() at most (short while this process is not receiving notifications).
 * Published versions never change, so a cached entry is never wrong about prices, only
 * possibly, for that long, about which version is a product's default.
 */
const MAX_ENTRIES = 10_000;

interface Entry {
  expiresAt: number;
  prices: SubscribedPrice[];
}
const cache = new Map<string, Entry>();
const inFlight = new Map<string, { generation: number; promise: Promise<SubscribedPrice[]> }>();
onCatalogInvalidate(() => {
  cache.clear();
  inFlight.clear();
});

interface Row {
  product_id: string;
  version: number;
  prices: unknown;
}

/**
 * The usage prices a customer is charged by: for each subscription, the pinned version or,
 * for "default", the product's current default version, and only if that version is
 * published. One query; cached per customer (see above). The caller
 * has already checked that the customer belongs to its tenant. The array is frozen.
 */
export async function subscribedPrices(customerId: string): Promise<SubscribedPrice[]> {
  startCatalogListener();
  const now = Date.now();
  const hit = cache.get(customerId);
  if (hit && hit.expiresAt > now) return hit.prices;

  const generation = catalogGeneration();
  const pending = inFlight.get(customerId);
  if (pending && pending.generation === generation) return pending.promise;

  const promise = loadSubscribedPrices(customerId).then((prices) => {
    // A catalog write while the query ran may have made this answer stale: do not keep it.
    if (catalogGeneration() === generation) {
      if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
      cache.set(customerId, { expiresAt: now + catalogCacheTtlMs(), prices });
    }
    return prices;
  });
  inFlight.set(customerId, { generation, promise });
  try {
    return await promise;
  } finally {
    if (inFlight.get(customerId)?.promise === promise) inFlight.delete(customerId);
  }
}

async function loadSubscribedPrices(customerId: string): Promise<SubscribedPrice[]> {
  const rows = await prisma().$queryRaw<Row[]>`
    SELECT s.product_id, v.version, v.prices
    FROM subscriptions s
    JOIN products p ON p.id = s.product_id
    JOIN product_versions v ON v.product_id = s.product_id AND v.version = COALESCE(s.version, p.default_version)
    WHERE s.customer_id = ${customerId} AND v.status = 'published'
    ORDER BY s.created_at, s.product_id`;
  // Shared by every caller through the cache: frozen so no caller can change another's prices.
  return Object.freeze(rows.flatMap((row) => toSubscribedPrices(row.product_id, Number(row.version), pricesFromStored(row.prices)))) as SubscribedPrice[];
}

/**
 * The asset codes a customer's subscriptions price in (usage and fixed prices; pinned
 * versions or the product's default), sorted: the wallet accounts subscribing provisions.
 * Read on the caller's transaction so it sees subscriptions it has just written.
 */
export async function subscribedAssets(customerId: string, db: CatalogDb = prisma()): Promise<string[]> {
  const rows = await db.$queryRaw<Pick<Row, "prices">[]>`
    SELECT v.prices
    FROM subscriptions s
    JOIN products p ON p.id = s.product_id
    JOIN product_versions v ON v.product_id = s.product_id AND v.version = COALESCE(s.version, p.default_version)
    WHERE s.customer_id = ${customerId} AND v.status = 'published'`;
  const assets = new Set(rows.flatMap((row) => pricedAssets(pricesFromStored(row.prices)).map((p) => p.asset)));
  return [...assets].sort();
}
