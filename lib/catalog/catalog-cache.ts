import pg from "pg";
import { onCloseDb, pool } from "@/lib/db";
import { databaseUrl } from "@/lib/env";

/**
 * Generation counter of this process's catalog caches. Every catalog write that can
 * change what a customer is charged (a version published, a default switched, a
 * subscription changed) bumps it, which empties the caches at once in this process, and
 * sends a PostgreSQL NOTIFY on CHANNEL so that every other process (replicas, and the
 * second copy of lib/ the production server loads) empties its caches too.
 *
 * Each process LISTENs on a connection of its own (startCatalogListener). While that
 * connection is up, caches may keep entries long (COHERENT_TTL_MS): a change elsewhere
 * reaches them within the notification's latency. While it is down (or before it is up)
 * they fall back to a short TTL, and every (re)connection empties them, since
 * notifications sent meanwhile were missed.
 */
let generation = 0;
const listeners = new Set<() => void>();

const CHANNEL = "drawdown_catalog";
/** Entry lifetime while notifications are received. */
export const COHERENT_TTL_MS = 10 * 60_000;
/** Entry lifetime without them: another process's change is seen within this. */
export const FALLBACK_TTL_MS = 5_000;
const RECONNECT_MAX_DELAY_MS = 30_000;

export function catalogGeneration(): number {
  return generation;
}

function clearCaches(): void {
  generation++;
  for (const clear of listeners) clear();
}

/**
 * Call after any catalog write has committed. Domain functions here call it themselves; a
 * caller that ran `subscribeCustomer` inside its own transaction calls it again after
 * commit so a read racing the commit cannot keep the old subscriptions cached.
 */
export function invalidateCatalogCache(): void {
  clearCaches();
  // A listening process keeps entries until told, so a failure here is logged: other
  // processes then see the change at their entries' COHERENT_TTL_MS.
  pool()
    .query("SELECT pg_notify($1, '')", [CHANNEL])
    .catch((error: unknown) => console.warn("[catalog] could not notify other processes of a catalog change:", (error as Error).message));
}

export function onCatalogInvalidate(clear: () => void): void {
  listeners.add(clear);
}

let listening = false;
let listener: { stop(): Promise<void> } | undefined;

/** How long an entry cached now may be kept (see the module comment). */
export function catalogCacheTtlMs(): number {
  return listening ? COHERENT_TTL_MS : FALLBACK_TTL_MS;
}

/**
 * Starts, once per process, the connection that LISTENs for other processes' catalog
 * changes; it reconnects with backoff and stops with closeDb().
 */
export function startCatalogListener(): void {
  if (listener) return;
  let stopped = false;
  let client: pg.Client | undefined;
  let wake: (() => void) | undefined;

  const loop = (async () => {
    for (let failures = 0; !stopped; ) {
      client = new pg.Client({ connectionString: databaseUrl() });
      const closed = new Promise<void>((resolve) => {
        wake = resolve;
        client!.on("error", () => resolve());
        client!.on("end", () => resolve());
      });
      try {
        await client.connect();
        client.on("notification", clearCaches);
        await client.query(`LISTEN ${CHANNEL}`);
        // Changes made before LISTEN took effect were not notified to us.
        clearCaches();
        listening = true;
        failures = 0;
        await closed;
      } catch {
        failures++;
      }
      listening = false;
      clearCaches();
      await client.end().catch(() => undefined);
      if (stopped) break;
      const delay = Math.min(RECONNECT_MAX_DELAY_MS, 100 * 2 ** failures);
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, delay).unref();
      });
    }
  })();

  listener = {
    async stop() {
      stopped = true;
      listening = false;
      wake?.();
      await client?.end().catch(() => undefined);
      await loop;
      listener = undefined;
    },
  };
  onCloseDb(() => listener?.stop() ?? Promise.resolve());
}
