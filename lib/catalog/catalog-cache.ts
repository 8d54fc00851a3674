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
 * Call after any catalog write has committed. Domain functions here call it themselves; a
 * caller that ran `subscribeCustomer` inside its own transaction calls it again after
 * commit so a read racing the commit cannot keep the old subscriptions cached.
 */
export function invalidateCatalogCache(): void {
  channel.invalidate();
}

export function onCatalogInvalidate(clear: () => void): void {
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
