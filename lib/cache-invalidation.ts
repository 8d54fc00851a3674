import pg from "pg";
import { onCloseDb, pool } from "@/lib/db";
import { databaseUrl } from "@/lib/env";

/**
 * In-process caches kept coherent across processes (replicas, and the second copy of lib/
 * the production server loads) with PostgreSQL LISTEN/NOTIFY.
 *
 * Each cached fact has a channel (`invalidationChannel("drawdown_catalog")`). A change
 * that invalidates it empties the caches of this process at once and sends a NOTIFY on the
 * channel, which every other process receives on a connection of its own and empties its
 * caches too. One connection per process LISTENs on every channel.
 *
 * While that connection is up, caches may keep entries long (COHERENT_TTL_MS): a change
 * elsewhere reaches them within the notification's latency (milliseconds). While it is
 * down (or before it is up) they fall back to FALLBACK_TTL_MS, and every (re)connection
 * empties them, since notifications sent meanwhile were missed.
 *
 * A cache that loads from the database reads `generation()` before its query and keeps
 * the answer only if it is unchanged after: a notification that arrived while the query
 * ran may have made the answer stale.
 */

/** Entry lifetime while notifications are received. */
export const COHERENT_TTL_MS = 10 * 60_000;
/** Entry lifetime without them: another process's change is seen within this. */
export const FALLBACK_TTL_MS = 5_000;
const RECONNECT_MAX_DELAY_MS = 30_000;

export interface InvalidationChannel {
  readonly name: string;
  /** Bumped by every invalidation of this channel (local, notified, or a reconnect). */
  generation(): number;
  /** How long an entry cached now may be kept (see the module comment). */
  ttlMs(): number;
  /** Whether this process currently receives the channel's notifications. */
  listening(): boolean;
  /** `clear` runs on every invalidation, with the NOTIFY's payload ("" for all, or on reconnect). */
  onInvalidate(clear: (payload: string) => void): void;
  /** Empties this process's caches now, without telling other processes. */
  invalidateLocally(payload?: string): void;
  /**
   * Empties this process's caches and NOTIFYs the others. Call after the change committed
   * (or send the NOTIFY in the change's own transaction, as a revocation does, and call
   * invalidateLocally). A failure to notify is logged: other processes then see the change
   * when their entries expire.
   */
  invalidate(payload?: string): void;
  /** Starts this process's listening connection if it is not running (cheap to call often). */
  startListening(): void;
}

interface ChannelState {
  generation: number;
  /** The listener connection epoch on which LISTEN took effect; listening while it is current. */
  listeningEpoch: number;
  clears: Set<(payload: string) => void>;
}

const CHANNEL_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const channels = new Map<string, ChannelState>();

/** The channel `name` (lower case, a valid identifier); the same object for the same name. */
export function invalidationChannel(name: string): InvalidationChannel {
  if (!CHANNEL_NAME.test(name)) throw new Error(`invalid channel name ${name}`);
  let state = channels.get(name);
  if (!state) {
    state = { generation: 0, listeningEpoch: -1, clears: new Set() };
    channels.set(name, state);
    // A channel made after the connection is up is listened to on that connection.
    if (connection.client) void listenOn(connection.client, connection.epoch, name);
  }
  const s = state;
  const clearLocally = (payload = "") => clearChannel(s, payload);
  return {
    name,
    generation: () => s.generation,
    ttlMs: () => (s.listeningEpoch === connection.epoch && connection.client ? COHERENT_TTL_MS : FALLBACK_TTL_MS),
    listening: () => s.listeningEpoch === connection.epoch && connection.client !== undefined,
    onInvalidate: (clear) => void s.clears.add(clear),
    invalidateLocally: clearLocally,
    invalidate(payload = "") {
      clearLocally(payload);
      pool()
        .query("SELECT pg_notify($1, $2)", [name, payload])
        .catch((error: unknown) => console.warn(`[${name}] could not notify other processes:`, (error as Error).message));
    },
    startListening,
  };
}

function clearChannel(state: ChannelState, payload: string): void {
  state.generation++;
  for (const clear of state.clears) clear(payload);
}

/** The `application_name` of this process's listening connection. */
export function listenerApplicationName(): string {
  return `drawdown-listen-${process.pid}`;
}

/** The connection LISTENing now (undefined while connecting or down), and its epoch. */
const connection: { client: pg.Client | undefined; epoch: number; queue: Promise<void> } = { client: undefined, epoch: 0, queue: Promise.resolve() };
let listener: { stop(): Promise<void> } | undefined;

/** LISTENs are queued: a pg client runs one query at a time. */
function listenOn(client: pg.Client, epoch: number, name: string): Promise<void> {
  connection.queue = connection.queue.then(() => listenNow(client, epoch, name));
  return connection.queue;
}

async function listenNow(client: pg.Client, epoch: number, name: string): Promise<void> {
  if (connection.epoch !== epoch) return;
  try {
    await client.query(`LISTEN ${name}`);
  } catch {
    return; // the connection is failing; the loop reconnects and listens again
  }
  const state = channels.get(name)!;
  if (connection.epoch !== epoch) return;
  state.listeningEpoch = epoch;
  // Changes made before LISTEN took effect were not notified to us.
  clearChannel(state, "");
}

/**
 * Starts, once per process, the connection that LISTENs on every channel; it reconnects
 * with backoff and stops with closeDb().
 */
function startListening(): void {
  if (listener) return;
  let stopped = false;
  let client: pg.Client | undefined;
  let wake: (() => void) | undefined;

  const loop = (async () => {
    for (let failures = 0; !stopped; ) {
      // Named so operators (and tests) can tell it in pg_stat_activity.
      client = new pg.Client({ connectionString: databaseUrl(), application_name: listenerApplicationName() });
      const closed = new Promise<void>((resolve) => {
        wake = resolve;
        client!.on("error", () => resolve());
        client!.on("end", () => resolve());
      });
      try {
        await client.connect();
        client.on("notification", (n) => {
          const state = channels.get(n.channel);
          if (state) clearChannel(state, n.payload ?? "");
        });
        const epoch = ++connection.epoch;
        connection.client = client;
        await Promise.all([...channels.keys()].map((name) => listenOn(client!, epoch, name)));
        failures = 0;
        await closed;
      } catch {
        failures++;
      }
      connection.client = undefined;
      connection.epoch++;
      for (const state of channels.values()) clearChannel(state, "");
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
      connection.client = undefined;
      connection.epoch++;
      wake?.();
      await client?.end().catch(() => undefined);
      await loop;
      listener = undefined;
    },
  };
  onCloseDb(() => listener?.stop() ?? Promise.resolve());
}
