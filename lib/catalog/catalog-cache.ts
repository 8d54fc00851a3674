import { invalidationChannel } from "@/lib/cache-invalidation";

export { COHERENT_TTL_MS } from "@/lib/cache-invalidation";

/**
 * The catalog caches' invalidation channel (lib/cache-invalidation.ts). Every catalog
 * write that can change what a customer is charged (a version published, a default
 * switched, a subscription changed) empties the caches at once in this process and sends
 * NOTIFY drawdown_catalog so that every other process empties its caches too. Entries live
 * long while this process listens and briefly while it does not.
 */
const channel = invalidationChannel("drawdown_catalog");

/** Bumped by every invalidation; a load keeps its answer only if this is unchanged. */
export function catalogGeneration(): number {
  return channel.generation();
}

/**
 * What a catalog write changed, sent as the NOTIFY's payload (JSON): the platform, and the
 * product whose versions or default changed or the customer whose subscriptions did.
 * Every process still empties all its catalog caches on any notification; the payload
 * says whose change it was (to operators watching the channel, and to tests that must
 * tell their own write's notification from other writers').
 */
export type CatalogChange = { platformId: string; productId: string } | { platformId: string; customerId: string };

/**
 * Call after any catalog write has committed. Domain functions here call it themselves; a
 * caller that ran `subscribeCustomer` inside its own transaction calls it again after
 * commit so a read racing the commit cannot keep the old subscriptions cached.
 */
export function invalidateCatalogCache(change: CatalogChange): void {
  channel.invalidate(JSON.stringify(change));
}

/** The change a drawdown_catalog payload announces (undefined for "" or anything else). */
export function parseCatalogChange(payload: string): CatalogChange | undefined {
  try {
    const change = JSON.parse(payload) as Partial<Record<"platformId" | "productId" | "customerId", unknown>>;
    if (typeof change?.platformId !== "string") return undefined;
    if (typeof change.productId === "string") return { platformId: change.platformId, productId: change.productId };
    if (typeof change.customerId === "string") return { platformId: change.platformId, customerId: change.customerId };
  } catch {
    // not a catalog change
  }
  return undefined;
}

/** `clear` runs on every invalidation with its payload ("" on a reconnect or an old sender). */
export function onCatalogInvalidate(clear: (payload: string) => void): void {
  channel.onInvalidate(clear);
}

/** How long an entry cached now may be kept. */
export function catalogCacheTtlMs(): number {
  return channel.ttlMs();
}

/** Starts this process's listening connection (once; it stops with closeDb()). */
export function startCatalogListener(): void {
  channel.startListening();
}
