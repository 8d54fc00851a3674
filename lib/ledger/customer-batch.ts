import type { PoolClient } from "pg";
import { customerLockKeySql, platformLockKeySql } from "@/lib/advisory-locks";
import { pool } from "@/lib/db";
import { env } from "@/lib/env";
import { BusyError } from "@/lib/errors";
import { metrics } from "@/lib/observability/metrics";
import { batchListeners, hasBatchListeners } from "./batch-listeners";
import type { FlushedBatch } from "./ledger-events";
import { flushWallets, loadReferenced, loadWallets, type FusedWrite } from "./wallet-sql";
import { WalletTx, type ReferencedTransaction } from "./wallet-tx";

/**
 * Per-customer batching of ledger work.
 *
 * Why: one hot wallet collapses under one transaction per request (measured under
 * SERIALIZABLE: ~2,000 single charges/s with one client, ~600/s with 8 clients and half of
 * them retried) while 100 charges in one transaction reach ~50,000/s. So every ledger
 * operation for a customer is queued in this process and everything queued so far runs in
 * ONE transaction; the customer's next batch starts when it commits. Across processes,
 * the customer's lock taken at BEGIN (see `beginBatch`) is the guarantee.
 *
 * Group commit: the batches of several customers that are ready in the same tick share
 * one transaction (up to LEDGER_GROUP_CUSTOMERS of them): one BEGIN, one load, one flush
 * statement and one COMMIT for all, where each customer alone would pay all four. Each
 * customer keeps its own WalletTx, its own jobs and outcomes; only the round trips are
 * shared. If the shared transaction keeps failing (one customer's event id stored by
 * another process meanwhile, a deadlock) or fails otherwise, nothing of it is kept and each
 * customer's batch runs again alone, with its own retries, so one customer's trouble never
 * fails another's work. At most `maxRunningTransactions()` transactions run at once: while they run, the
 * work that arrives queues up and forms the next, larger group.
 *
 * A job's `apply` runs against the in-memory WalletTx and must be deterministic given the
 * loaded state: on a retry the whole batch is re-applied from a fresh load.
 * A job that throws only fails itself (WalletTx validates before it mutates); the others
 * commit.
 *
 * Events the batch causes (expired grants, balances crossing their low threshold, and
 * what jobs raise: refused events, settled top-ups) are collected on the WalletTx
 * (ledger-events.ts) and handed to the registered batch listeners (batch-listeners.ts) in
 * the same transaction, after the ledger's write; then to their `afterCommit`. lib/webhooks
 * is one: it writes them to its outbox and wakes its worker, without the ledger knowing.
 */
export interface BatchGroup<Ctx, Input = unknown> {
  /**
   * Runs once per batch attempt, before any job applies (e.g. load already-seen event ids).
   * `afterViolation` is false until a try of this batch failed on a unique index (23505): a
   * group whose writes hit a unique index on a repeat may skip its read until then, and
   * rely on the violation (retried) to load it on the next try.
   */
  preload(client: PoolClient, customerId: string, inputs: Input[], afterViolation: boolean): Promise<Ctx>;
  /** Runs once per batch attempt after the ledger rows are written, in the same transaction. */
  persist?(client: PoolClient, customerId: string, ctx: Ctx): Promise<void>;
  /**
   * Instead of `persist`: the group's rows as a data-modifying CTE of the ledger's own write
   * statement (flushWallets), which saves a round trip per transaction (or several CTEs: the
   * usage events and their stats rollups); the same CTE of every customer in the
   * transaction is merged into one, each row with its customer's id. Null when it has none.
   */
  flushWith?(customerId: string, ctx: Ctx): FusedWrite | FusedWrite[] | null;
}

export interface BatchJob<R, Ctx = unknown, Input = unknown> {
  /** Idempotency keys this job may use, loaded at BEGIN so replays are answered from storage. */
  idempotencyKeys: string[];
  /** Ledger transactions this job reverses (loaded with their entries and grants). */
  referencedTransactions?: string[];
  /** Holds this job names, by id or reference, loaded whatever their status (open ones always are). */
  holdKeys?: string[];
  group?: BatchGroup<Ctx, Input>;
  groupInput?: Input;
  /**
   * This job and the next one queued for the customer run in the same batch, even past
   * MAX_BATCH_JOBS: a hold's capture (its events, then its close) is never cut in two, so
   * the hold's expiry cannot fall between its parts.
   */
  sameBatchAsNext?: boolean;
  apply(wallet: WalletTx, ctx: Ctx): R;
}

interface Queued {
  job: BatchJob<unknown, unknown, unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export const MAX_BATCH_JOBS = 2000;
/**
 * What reruns a batch from a fresh load: a racing insert of the same key by another
 * process (23505: an event id, an idempotency key), a deadlock (40P01) and a serialization
 * failure (40001, which the ledger's own READ COMMITTED transactions no longer raise, kept
 * for a database that upgrades the isolation level). The budget (~10 s in all) is
 * generous before the batch gives up with a 503 the client may retry.
 */
const MAX_ATTEMPTS = 30;
const RETRYABLE = new Set(["40001", "40P01", "23505"]);
/** `lock_timeout` expired while waiting for a customer's lock (beginBatch). */
const LOCK_NOT_AVAILABLE = "55P03";

const queues = new Map<string, Queued[]>();
/** Customers with queued jobs and no batch running, in the order they became ready. */
const ready = new Set<string>();
/** Customers whose batch is running (their new jobs wait for the next one). */
const running = new Set<string>();
let startScheduled = false;
let transactionsRunning = 0;

/**
 * Transactions the batches may hold at once: the pool but two (at least 2), which leaves
 * connections for the reads around them (authentication, catalog); work that arrives while
 * they are all busy waits for the next, larger group instead of a connection of its own.
 */
function maxRunningTransactions(): number {
  return Math.max(2, env().DATABASE_POOL_SIZE - 2);
}

/** Queues `job` for the customer's next batch; resolves with what `apply` returned. */
export function runInCustomerBatch<R, Ctx = unknown, Input = unknown>(customerId: string, job: BatchJob<R, Ctx, Input>): Promise<R> {
  if (!hasBatchListeners()) {
    // A module that runs batches without importing lib/webhooks/ledger-outbox.ts would
    // commit changes without their webhooks (batch-listeners.ts).
    return Promise.reject(new Error("ledger: no batch listener registered; import \"@/lib/webhooks/ledger-outbox\" in the module that runs this batch"));
  }
  return new Promise<R>((resolve, reject) => {
    const queued: Queued = {
      job: job as BatchJob<unknown, unknown, unknown>,
      resolve: resolve as (v: unknown) => void,
      reject,
    };
    const queue = queues.get(customerId);
    if (queue) queue.push(queued);
    else queues.set(customerId, [queued]);
    if (!running.has(customerId)) ready.add(customerId);
    scheduleStart();
  });
}

/** Jobs queued for the customer and not yet taken by a batch (tests wait on it). */
export function queuedJobCount(customerId: string): number {
  return queues.get(customerId)?.length ?? 0;
}

function scheduleStart(): void {
  if (startScheduled || ready.size === 0 || transactionsRunning >= maxRunningTransactions()) return;
  startScheduled = true;
  // Let the current tick enqueue more work before the batches are cut.
  setImmediate(startTransactions);
}

/** Cuts the ready customers' batches into groups and starts a transaction for each. */
function startTransactions(): void {
  startScheduled = false;
  const maxCustomers = env().LEDGER_GROUP_CUSTOMERS;
  while (ready.size > 0 && transactionsRunning < maxRunningTransactions()) {
    const group: CustomerBatch[] = [];
    let jobs = 0;
    for (const customerId of ready) {
      if (group.length >= maxCustomers || (group.length > 0 && jobs >= MAX_BATCH_JOBS)) break;
      const queue = queues.get(customerId)!;
      let n = Math.min(queue.length, MAX_BATCH_JOBS);
      while (n < queue.length && queue[n - 1]!.job.sameBatchAsNext) n++;
      const batch = queue.splice(0, n);
      if (queue.length === 0) queues.delete(customerId);
      ready.delete(customerId);
      running.add(customerId);
      group.push({ customerId, batch });
      jobs += batch.length;
    }
    transactionsRunning++;
    void runGroup(group).finally(() => {
      transactionsRunning--;
      for (const { customerId } of group) {
        running.delete(customerId);
        if (queues.has(customerId)) ready.add(customerId);
      }
      scheduleStart();
    });
  }
}

interface CustomerBatch {
  customerId: string;
  batch: Queued[];
}

/**
 * Tries of a shared transaction before its customers run alone. A retryable failure is
 * usually one customer's event id stored meanwhile: the retry loads the stored ids
 * (`afterViolation`) and answers `duplicate` without failing the others.
 */
const GROUP_ATTEMPTS = 3;

/**
 * The group's batches in one transaction, retried as a whole on a retryable failure; if
 * it still fails (or fails otherwise), each customer's batch again on its own, with its
 * own retries, so one customer's trouble never fails another's work.
 */
async function runGroup(group: CustomerBatch[], afterViolation = false): Promise<void> {
  const maxAttempts = group.length === 1 ? MAX_ATTEMPTS : GROUP_ATTEMPTS;
  let lastError: unknown;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    let client: PoolClient | undefined;
    try {
      client = await pool().connect();
      const done = await attemptBatches(client, group, afterViolation);
      client.release();
      client = undefined;
      settle(group, done);
      if (group.length > 1) metrics()?.ledgerGroupSize.observe(group.length);
      return;
    } catch (error) {
      lastError = error;
      if (client) {
        await client.query("ROLLBACK").catch(() => undefined);
        client.release();
      }
      if (errorCode(error) === LOCK_NOT_AVAILABLE) {
        // Another process held a customer's lock past LEDGER_LOCK_TIMEOUT_MS: a group splits
        // (the others need not wait), a customer alone answers busy without waiting again.
        lastError = group.length > 1 ? error : new BusyError("the customer's ledger is busy in another process; retry the request (it is idempotent)");
        break;
      }
      if (!isRetryable(error)) break;
      if (errorCode(error) === "23505") afterViolation = true;
      metrics()?.ledgerBatchRetries.inc({ reason: errorCode(error) });
      if (attempt === maxAttempts) break;
      // Jittered exponential backoff, capped: let the competing insert or the other side of the deadlock finish.
      const delay = Math.min(500, 2 ** attempt) * (0.5 + Math.random());
      await new Promise((r) => setTimeout(r, delay));
    }
  }
  if (group.length > 1) {
    metrics()?.ledgerGroupSplits.inc({ reason: errorCode(lastError) });
    await Promise.all(group.map((b) => runGroup([b], afterViolation)));
    return;
  }
  if (isRetryable(lastError)) lastError = new BusyError("the ledger is busy with conflicting writes; retry the request (it is idempotent)");
  for (const q of group[0]!.batch) q.reject(lastError);
}

/** After COMMIT: the listeners' afterCommit, then every job's answer. */
function settle(group: CustomerBatch[], done: { outcomes: Outcome[]; flushed: FlushedBatch }[]): void {
  group.forEach(({ batch }, i) => {
    const { outcomes, flushed } = done[i]!;
    afterCommit(flushed);
    metrics()?.ledgerBatchSize.observe(batch.length);
    outcomes.forEach((o, j) => (o.ok ? batch[j]!.resolve(o.value) : batch[j]!.reject(o.error)));
  });
}

/** Committed: a listener's failure here must not turn the batch's answers into errors. */
function afterCommit(flushed: FlushedBatch): void {
  for (const listener of batchListeners()) {
    try {
      listener.afterCommit?.(flushed);
    } catch (error) {
      console.error("[ledger] a batch listener failed after COMMIT:", error);
    }
  }
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * How every batch transaction starts, in one round trip (simple protocol: the customer ids
 * are quoted literals, escaped by the driver).
 * - READ COMMITTED, and an exclusive transaction lock per customer (pg_advisory_xact_lock,
 *   taken in key order so two groups never deadlock): a batch of another process for the
 *   same customer waits for this one to commit, and each statement after the lock sees
 *   every earlier batch of the customer. In this process a customer's batches already run
 *   one after another (the queue above), so the lock only ever waits across processes.
 *   Nothing else writes the ledger's rows.
 * - `lock_timeout` (LEDGER_LOCK_TIMEOUT_MS, 10 s): a lock another process holds longer (a
 *   stuck transaction) ends this one with 55P03; a group then runs each customer alone, and
 *   a customer whose lock is still held answers 503 `busy`, never a 500.
 * - A shared lock per platform of the customers: a change of the platform's default
 *   overdraft limit (lib/platforms/platform-settings.ts) takes it exclusively, so it
 *   checks the accounts following the default with no batch in flight, and batches after
 *   it read the new limit.
 * - A generic plan for the batch's named statements: their key lookups are by customer,
 *   a generic plan is as good as a custom one, and planning each execution anew was a
 *   sixth of PostgreSQL's time per single-charge batch.
 *   A generic plan made while a table was small is kept as it grows (until an ANALYZE),
 *   so the statements leave the planner no whole-table choice where it matters: lookups
 *   by key are LATERAL … LIMIT 1 per key (loadWallets), UPDATEs name their ids on the
 *   primary key as well (flushWallets). (Turning sequential scans, bitmap scans, hash and
 *   merge joins off for the transaction instead cost ~5% of PostgreSQL's time per event
 *   in phase (e), measured with `npm run bench:profile -- --phase e`.)
 *
 * This replaced SERIALIZABLE: its read locks are per index page (and per table for a
 * sequential or bitmap scan), so transactions of unrelated customers failed each other,
 * and group commit (several customers per transaction) made that the common case.
 */
function beginBatch(client: PoolClient, customerIds: readonly string[]): string {
  const ids = `ARRAY[${customerIds.map((id) => client.escapeLiteral(id)).join(", ")}]::text[]`;
  return (
    "BEGIN ISOLATION LEVEL READ COMMITTED; SET LOCAL plan_cache_mode = force_generic_plan; " +
    `SET LOCAL lock_timeout = ${env().LEDGER_LOCK_TIMEOUT_MS}; ` +
    `SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT ${customerLockKeySql("id")} AS k FROM unnest(${ids}) AS id) AS keys ORDER BY k; ` +
    `SELECT pg_advisory_xact_lock_shared(k) FROM (SELECT DISTINCT ${platformLockKeySql("platform_id")} AS k FROM customers WHERE id = ANY(${ids})) AS keys ORDER BY k`
  );
}

/** One customer's part of a transaction: what its jobs ask to load, then its wallet and contexts. */
interface Prepared {
  customerId: string;
  batch: Queued[];
  keys: Set<string>;
  referenced: Set<string>;
  holdKeys: Set<string>;
  groups: Map<BatchGroup<unknown, unknown>, unknown[]>;
}

function prepare({ customerId, batch }: CustomerBatch): Prepared {
  const p: Prepared = { customerId, batch, keys: new Set(), referenced: new Set(), holdKeys: new Set(), groups: new Map() };
  for (const { job } of batch) {
    for (const k of job.idempotencyKeys) p.keys.add(k);
    for (const t of job.referencedTransactions ?? []) p.referenced.add(t);
    for (const h of job.holdKeys ?? []) p.holdKeys.add(h);
    if (job.group) {
      const inputs = p.groups.get(job.group) ?? [];
      inputs.push(job.groupInput);
      p.groups.set(job.group, inputs);
    }
  }
  return p;
}

/** The customers' batches in one transaction, committed; per customer its jobs' outcomes and what it flushed. */
async function attemptBatches(
  client: PoolClient,
  customers: CustomerBatch[],
  afterViolation: boolean,
): Promise<{ outcomes: Outcome[]; flushed: FlushedBatch }[]> {
  const parts = customers.map(prepare);
  await client.query(beginBatch(client, parts.map((p) => p.customerId)));
  const now = new Date();
  // Reversals only (rare): their transactions, customer by customer.
  const referencedTxs: Map<string, ReferencedTransaction>[] = [];
  for (const p of parts) referencedTxs.push(await loadReferenced(client, p.customerId, [...p.referenced]));
  const loaded = await loadWallets(
    client,
    parts.map((p, i) => ({
      customerId: p.customerId,
      extraGrantIds: [...referencedTxs[i]!.values()].flatMap((t) => t.entries.flatMap((e) => (e.grantId ? [e.grantId] : []))),
      keys: [...p.keys],
      holdKeys: [...p.holdKeys],
    })),
  );

  const wallets: WalletTx[] = [];
  const fused: { customerId: string; write: FusedWrite }[] = [];
  const perCustomer: { outcomes: Outcome[]; contexts: Map<BatchGroup<unknown, unknown>, unknown>; flushed: FlushedBatch }[] = [];
  for (const [i, p] of parts.entries()) {
    const { accounts, grants, holds, seen, defaultOverdraftLimit, defaultLowBalanceThreshold } = loaded.get(p.customerId)!;
    const contexts = new Map<BatchGroup<unknown, unknown>, unknown>();
    for (const [group, inputs] of p.groups) contexts.set(group, await group.preload(client, p.customerId, inputs, afterViolation));

    const wallet = new WalletTx(p.customerId, now, accounts, grants, seen, referencedTxs[i]!, defaultOverdraftLimit, holds, defaultLowBalanceThreshold);
    // A hold never outlives its expiry: whichever batch comes first after it releases it,
    // before due grants expire (a grant keeps back only what still-open holds need).
    wallet.expireDueHolds();
    wallet.expireDueGrants();
    const outcomes: Outcome[] = p.batch.map(({ job }) => {
      try {
        return { ok: true, value: job.apply(wallet, job.group ? contexts.get(job.group) : undefined) };
      } catch (error) {
        return { ok: false, error };
      }
    });

    // A due grant kept back for open holds expires once the batch's jobs no longer need it (a hold closed, a credit came).
    if (wallet.keptForHolds) wallet.expireDueGrants();
    wallet.emitLowBalanceCrossings();

    for (const [group, ctx] of contexts) {
      const write = group.flushWith?.(p.customerId, ctx);
      if (write) for (const w of Array.isArray(write) ? write : [write]) fused.push({ customerId: p.customerId, write: w });
    }
    // What the batch caused, for its listeners: their rows join the same write statement
    // (lib/webhooks' outbox, when the batch caused events), their reads come after it.
    const flushed: FlushedBatch = { customerId: p.customerId, now, events: wallet.events, balanceChanges: wallet.balanceChanges() };
    for (const listener of batchListeners()) {
      const write = listener.flushWith?.(flushed);
      if (write) fused.push({ customerId: p.customerId, write });
    }
    wallets.push(wallet);
    perCustomer.push({ outcomes, contexts, flushed });
  }

  await flushWallets(client, wallets, fused);
  const done: { outcomes: Outcome[]; flushed: FlushedBatch }[] = [];
  for (const [i, p] of parts.entries()) {
    const { outcomes, contexts, flushed } = perCustomer[i]!;
    // Top-up settlements' rows (rare: most batches have no group with `persist`).
    for (const [group, ctx] of contexts) await group.persist?.(client, p.customerId, ctx);
    done.push({ outcomes, flushed });
  }
  // Listeners that read first (auto top-up: only when a batch crossed a threshold), once
  // for every customer of the transaction.
  const flushed = done.map((d) => d.flushed);
  for (const listener of batchListeners()) await listener.onFlush?.(client, flushed);
  await client.query("COMMIT");
  return done;
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "error";
}

function isRetryable(error: unknown): boolean {
  return RETRYABLE.has(errorCode(error));
}
