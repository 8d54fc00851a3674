import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { databaseUrl, env } from "@/lib/env";

/**
 * The one database module. `prisma()` is the ORM for catalog, customers and the rest;
 * `pool()` is a raw pg pool used by the ledger's hot path (a few hand-written statements
 * per batch of charges, see lib/ledger/customer-batch.ts). Both point at DATABASE_URL.
 */
const globalForDb = globalThis as unknown as {
  __drawdownPrisma?: PrismaClient;
  __drawdownPool?: pg.Pool;
  __drawdownDbModuleCopies?: number;
};

// Each module graph that reaches the database evaluates this file once: the count is how
// many copies of lib/ the process holds (GET /api/ready's `module_graphs`; see
// docs/ARCHITECTURE.md "The production server").
globalForDb.__drawdownDbModuleCopies = (globalForDb.__drawdownDbModuleCopies ?? 0) + 1;

/** How many copies of this module (of lib/) this process has loaded. */
export function moduleGraphs(): number {
  return globalForDb.__drawdownDbModuleCopies ?? 0;
}

// NUMERIC comes back as a string (exact); never parse money into a JS number.
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => v);
// BIGINT (entry ids, counts) as string too.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => v);

/**
 * How long an idle pooled connection is kept. pg's default (10 s) closed connections
 * between bursts, and opening one again (SCRAM authentication, a new backend, statements
 * prepared anew) held the requests queued behind it for up to hundreds of milliseconds
 * (docs/benchmarks.md). The pools stay small (DATABASE_POOL_SIZE), so keeping them is cheap.
 */
const IDLE_CONNECTION_MS = 5 * 60_000;

/**
 * How long a request waits for a connection (a free one from the pool, or a new one from
 * the server) before it fails; pg's default is forever. The failure is answered 503 with
 * Retry-After (lib/observability/database-unavailable.ts), so a stalled database turns
 * into retries and a not-ready instance instead of requests piling up without an answer.
 */
const CONNECT_TIMEOUT_MS = 5_000;

export function pool(): pg.Pool {
  if (!globalForDb.__drawdownPool) {
    globalForDb.__drawdownPool = new pg.Pool({
      connectionString: databaseUrl(),
      max: env().DATABASE_POOL_SIZE,
      idleTimeoutMillis: IDLE_CONNECTION_MS,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    });
    globalForDb.__drawdownPool.on("error", () => {
      // an idle client died (server restart); the pool replaces it on next use
    });
    // A checked-out client has no listener of pg-pool's: a connection lost between two of
    // its queries (a restart in the middle of a ledger batch) would be an uncaught 'error'
    // and end the process. The loss reaches the holder anyway, as the next query's failure
    // (answered 503); on release the pool discards the broken client.
    globalForDb.__drawdownPool.on("connect", (client) => {
      client.on("error", () => undefined);
    });
  }
  return globalForDb.__drawdownPool;
}

/**
 * Runs `work` in one transaction on a pooled connection: `begin` first (e.g. `BEGIN
 * ISOLATION LEVEL …`), COMMIT when `work` returns, ROLLBACK when it throws (the error is
 * rethrown).
 */
export async function inTransaction<T>(begin: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool().connect();
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export function prisma(): PrismaClient {
  if (!globalForDb.__drawdownPrisma) {
    const adapter = new PrismaPg({ connectionString: databaseUrl(), max: env().DATABASE_POOL_SIZE, idleTimeoutMillis: IDLE_CONNECTION_MS, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
    globalForDb.__drawdownPrisma = new PrismaClient({ adapter });
  }
  return globalForDb.__drawdownPrisma;
}

const closeHooks = new Set<() => Promise<void>>();

/** Runs `hook` on closeDb() (e.g. to end a LISTEN connection of one's own). */
export function onCloseDb(hook: () => Promise<void>): void {
  closeHooks.add(hook);
}

/**
 * True for a unique-constraint violation (P2002): two writers raced for the same key.
 * Checked by name and code, not `instanceof`: Next.js compiles pages and instrumentation.ts
 * (the job worker) apart from the route handlers, each with its own copy of lib/, and the
 * Prisma client they all use is whichever copy created it first (one per process, above).
 */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { name?: unknown; code?: unknown } | null;
  return e?.name === "PrismaClientKnownRequestError" && e.code === "P2002";
}

/** Close both clients and whatever registered with onCloseDb (scripts and tests). */
export async function closeDb(): Promise<void> {
  const hooks = [...closeHooks];
  closeHooks.clear();
  await Promise.all(hooks.map((hook) => hook().catch(() => undefined)));
  const { __drawdownPrisma: p, __drawdownPool: q } = globalForDb;
  globalForDb.__drawdownPrisma = undefined;
  globalForDb.__drawdownPool = undefined;
  await Promise.all([p?.$disconnect(), q?.end()]);
}
