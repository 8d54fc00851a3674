/**
 * Generation counter of this process's catalog caches. Every catalog write that can
 * change what a customer is charged (a version published, a default switched, a
 * subscription changed) bumps it, which empties the caches at once in this process.
 * Other processes (replicas) see the change when their entries' TTL runs out.
 */
let generation = 0;
const listeners = new Set<() => void>();

export function catalogGeneration(): number {
  return generation;
}

/**
 * Call after any catalog write. Domain functions here call it themselves; a caller that
 * ran `subscribeCustomer` inside its own transaction calls it again after commit so a
 * read racing the commit cannot keep the old subscriptions cached.
 */
export function invalidateCatalogCache(): void {
  generation++;
  for (const clear of listeners) clear();
}

export function onCatalogInvalidate(clear: () => void): void {
  listeners.add(clear);
}
