import type { BatchListener } from "./ledger-events";

/**
 * The modules that react to the ledger's batches, registered by name. The ledger imports
 * none of them: lib/webhooks registers its outbox when webhooks/ledger-outbox.ts loads, and
 * every module that runs a batch imports that module (docs/ARCHITECTURE.md, "The ledger").
 * A batch refuses to run with nothing registered, so a missing import fails loudly instead
 * of committing changes without their webhooks.
 */
const registry = new Map<string, BatchListener>();

/** Registers (or replaces) the listener called `name`; registering twice is harmless. */
export function registerBatchListener(name: string, listener: BatchListener): void {
  registry.set(name, listener);
}

/** The registered listeners, in registration order. */
export function batchListeners(): Iterable<BatchListener> {
  return registry.values();
}

export function hasBatchListeners(): boolean {
  return registry.size > 0;
}
