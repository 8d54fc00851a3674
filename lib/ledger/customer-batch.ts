import type { PoolClient } from "pg";
import { pool } from "@/lib/db";
import { BusyError } from "@/lib/errors";
import { metrics } from "@/lib/observability/metrics";
import { batchListeners, hasBatchListeners } from "./batch-listeners";
import type { FlushedBatch } from "./ledger-events";
import { flushWallet, loadReferenced, loadWallet, type FusedWrite } from "./wallet-sql";
import { WalletTx } from "./wallet-tx";

/**
 * Per-customer batching of ledger work.
 *
 * Why: one hot wallet under SERIALIZABLE collapses under contention (measured: ~2,000
 * single charges/s with one client, ~600/s with 8 clients and half of them retried) while
 * 100 charges in one transaction reach ~50,000/s. So every ledger operation for a
 * customer is queued in this process and a drainer runs everything queued so far in ONE
 * serializable transaction; the next batch starts when it commits. Across processes,
 * SERIALIZABLE plus a bounded retry of the whole batch remains the guarantee.
 *
 * A job's `apply` runs against the in-memory WalletTx and must be deterministic given the
 * loaded state: on a serialization failure the whole batch is re-applied from a fresh load.
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
   * `attempt` starts at 1: a group whose writes hit a unique index on a repeat may skip its
   * read on the first attempt and rely on the violation (retried) to load it on the next.
   */
  preload(client: PoolClient, customerId: string, inputs: Input[], attempt: number): Promise<Ctx>;
  /** Runs once per batch attempt after the ledger rows are written, in the same transaction. */
  persist?(client: PoolClient, customerId: string, ctx: Ctx): Promise<void>;
  /**
   * Instead of `persist`: the group's rows as a data-modifying CTE of the ledger's own write
   * statement (flushWallet), which saves a round trip per batch (or several CTEs: the usage
   * events and their stats rollups). Null when it has none.
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
 * Serialization failures come from other processes writing the same customer, and also
 * from unrelated customers whose rows share B-tree pages with this one (PostgreSQL keeps
 * SERIALIZABLE read locks per index page). They pass with retries; the budget (~10 s in
 * all) is generous before the batch gives up with a 503 the client may retry.
 */
const MAX_ATTEMPTS = 30;
const RETRYABLE = new Set(["40001", "40P01", "23505"]);

const queues = new Map<string, Queued[]>();

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
    if (queue) {
      queue.push(queued);
      return;
    }
    queues.set(customerId, [queued]);
    void drain(customerId);
  });
}

/** Jobs queued for the customer and not yet taken by a batch (tests wait on it). */
export function queuedJobCount(customerId: string): number {
  return queues.get(customerId)?.length ?? 0;
}

async function drain(customerId: string): Promise<void> {
  // Let the current tick enqueue more work for this customer before the first batch.
  await new Promise<void>((r) => setImmediate(r));
  for (;;) {
    const queue = queues.get(customerId);
    if (!queue || queue.length === 0) {
      queues.delete(customerId);
      return;
    }
    let n = Math.min(queue.length, MAX_BATCH_JOBS);
    while (n < queue.length && queue[n - 1]!.job.sameBatchAsNext) n++;
    const batch = queue.splice(0, n);
    await runBatch(customerId, batch);
  }
}

async function runBatch(customerId: string, batch: Queued[]): Promise<void> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    let client: PoolClient | undefined;
    try {
      client = await pool().connect();
      const { outcomes, flushed } = await attemptBatch(client, customerId, batch, attempt);
      client.release();
      client = undefined;
      afterCommit(flushed);
      metrics()?.ledgerBatchSize.observe(batch.length);
      outcomes.forEach((o, i) => (o.ok ? batch[i]!.resolve(o.value) : batch[i]!.reject(o.error)));
      return;
    } catch (error) {
      lastError = error;
      if (client) {
        await client.query("ROLLBACK").catch(() => undefined);
        client.release();
      }
      if (!isRetryable(error)) break;
      metrics()?.ledgerBatchRetries.inc({ reason: (error as { code: string }).code });
      if (attempt === MAX_ATTEMPTS) {
        lastError = new BusyError("the ledger is busy with conflicting writes; retry the request (it is idempotent)");
        break;
      }
      // Jittered exponential backoff, capped: a competing transaction holds the pages we need.
      const delay = Math.min(500, 2 ** attempt) * (0.5 + Math.random());
      await new Promise((r) => setTimeout(r, delay));
    }
  }
  for (const q of batch) q.reject(lastError);
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

async function attemptBatch(
  client: PoolClient,
  customerId: string,
  batch: Queued[],
  attempt: number,
): Promise<{ outcomes: Outcome[]; flushed: FlushedBatch }> {
  const keys = new Set<string>();
  const referenced = new Set<string>();
  const holdKeys = new Set<string>();
  const groups = new Map<BatchGroup<unknown, unknown>, unknown[]>();
  for (const { job } of batch) {
    for (const k of job.idempotencyKeys) keys.add(k);
    for (const t of job.referencedTransactions ?? []) referenced.add(t);
    for (const h of job.holdKeys ?? []) holdKeys.add(h);
    if (job.group) {
      const inputs = groups.get(job.group) ?? [];
      inputs.push(job.groupInput);
      groups.set(job.group, inputs);
    }
  }

  // One round trip (simple protocol, no parameters). The batch's statements are named and
  // key lookups by customer: a generic plan is as good as a custom one, and planning each
  // execution anew was a sixth of PostgreSQL's time per single-charge batch.
  await client.query("BEGIN ISOLATION LEVEL SERIALIZABLE; SET LOCAL plan_cache_mode = force_generic_plan");
  const now = new Date();
  const referencedTxs = await loadReferenced(client, customerId, [...referenced]);
  const referencedGrants = [...referencedTxs.values()].flatMap((t) => t.entries.flatMap((e) => (e.grantId ? [e.grantId] : [])));
  const { accounts, grants, holds, seen, defaultOverdraftLimit, defaultLowBalanceThreshold } = await loadWallet(
    client,
    customerId,
    referencedGrants,
    [...keys],
    [...holdKeys],
  );
  const contexts = new Map<BatchGroup<unknown, unknown>, unknown>();
  for (const [group, inputs] of groups) contexts.set(group, await group.preload(client, customerId, inputs, attempt));

  const wallet = new WalletTx(customerId, now, accounts, grants, seen, referencedTxs, defaultOverdraftLimit, holds, defaultLowBalanceThreshold);
  // A hold never outlives its expiry: whichever batch comes first after it releases it,
  // before due grants expire (a grant keeps back only what still-open holds need).
  wallet.expireDueHolds();
  wallet.expireDueGrants();
  const outcomes: Outcome[] = batch.map(({ job }) => {
    try {
      return { ok: true, value: job.apply(wallet, job.group ? contexts.get(job.group) : undefined) };
    } catch (error) {
      return { ok: false, error };
    }
  });

  // A due grant kept back for open holds expires once the batch's jobs no longer need it (a hold closed, a credit came).
  if (wallet.keptForHolds) wallet.expireDueGrants();
  wallet.emitLowBalanceCrossings();

  const fused: FusedWrite[] = [];
  for (const [group, ctx] of contexts) {
    const write = group.flushWith?.(customerId, ctx);
    if (write) fused.push(...(Array.isArray(write) ? write : [write]));
  }
  await flushWallet(client, wallet, fused);
  for (const [group, ctx] of contexts) await group.persist?.(client, customerId, ctx);
  // The listeners' writes (lib/webhooks' outbox: one statement, only when the batch caused events).
  const flushed: FlushedBatch = { customerId, now, events: wallet.events, balanceChanges: wallet.balanceChanges() };
  for (const listener of batchListeners()) await listener.onFlush(client, flushed);
  await client.query("COMMIT");
  return { outcomes, flushed };
}

function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && RETRYABLE.has(code);
}
