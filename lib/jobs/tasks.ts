import type { CronItem, TaskList } from "graphile-worker";
import { AUTO_TOP_UP_TASK, processAutoTopUps } from "@/lib/auto-top-ups";
import { pruneConsoleSessions } from "@/lib/console/prune-console-sessions";
import { expireDueHolds } from "@/lib/holds/expire-holds";
import { pruneIdempotencyKeys } from "@/lib/idempotency/idempotency-keys";
import { pruneApiRequests } from "@/lib/request-log/prune-api-requests";
import { expireOverdueTopUps } from "@/lib/top-ups/expire-overdue-top-ups";
import { dispatchWebhooks } from "@/lib/webhooks/dispatch-webhooks";
import { WEBHOOK_DISPATCH_TASK } from "@/lib/webhooks/request-webhook-dispatch";

/** Task names (graphile-worker identifiers); other modules enqueue by these. */
export const TASKS = {
  expireOverdueTopUps: "expire_overdue_top_ups",
  dispatchWebhooks: WEBHOOK_DISPATCH_TASK,
  pruneIdempotencyKeys: "prune_idempotency_keys",
  pruneApiRequests: "prune_api_requests",
  processAutoTopUps: AUTO_TOP_UP_TASK,
  expireDueHolds: "expire_due_holds",
  pruneConsoleSessions: "prune_console_sessions",
} as const;

/** Job key of the next webhook retry: each run moves it to the soonest pending attempt. */
const WEBHOOK_RETRY_KEY = "dispatch_webhooks:retry";

/**
 * Every background task. Each body is a plain domain function that tests call directly;
 * the task only adapts it (and throws when some items failed, so the failure is visible in
 * graphile_worker's jobs table; the items are tried again on the next run anyway).
 */
export const taskList: TaskList = {
  async [TASKS.expireOverdueTopUps](_payload, helpers) {
    const run = await expireOverdueTopUps();
    if (run.expired.length || run.settled.length) {
      helpers.logger.info(`top-ups: expired ${run.expired.length}, settled ${run.settled.length} paid before expiry`);
    }
    if (run.failed.length) {
      throw new Error(`could not expire ${run.failed.length} top-up(s): ${run.failed.map((f) => `${f.id}: ${f.error}`).join("; ")}`);
    }
  },

  /**
   * Auto top-ups (lib/auto-top-ups): queued after every batch that recorded a request, and
   * every minute, which also reconciles payments left `processing` for a minute.
   */
  async [TASKS.processAutoTopUps](_payload, helpers) {
    const run = await processAutoTopUps();
    if (run.outcomes.length) helpers.logger.info(`auto top-ups: ${run.outcomes.map((o) => `${o.id} ${o.outcome}`).join(", ")}`);
    if (run.errors.length) {
      throw new Error(`could not finish ${run.errors.length} auto top-up(s): ${run.errors.map((e) => `${e.id}: ${e.error}`).join("; ")}`);
    }
  },

  /**
   * Holds past their expiry (lib/holds): released with `hold.expired`. Reads and batches
   * already treat them as released; this makes it so for customers nothing else touches.
   */
  async [TASKS.expireDueHolds](_payload, helpers) {
    const customers = await expireDueHolds();
    if (customers) helpers.logger.info(`holds: released expired holds of ${customers} customer(s)`);
  },

  /** Console sessions and sign-in tokens past their expiry (lib/console): unusable, so deleted. */
  async [TASKS.pruneConsoleSessions](_payload, helpers) {
    const pruned = await pruneConsoleSessions();
    if (pruned.sessions || pruned.signInTokens) {
      helpers.logger.info(`console: pruned ${pruned.sessions} expired session(s), ${pruned.signInTokens} sign-in token(s)`);
    }
  },

  /** Idempotency-Key answers are kept 24 hours (lib/idempotency/idempotency-keys.ts). */
  async [TASKS.pruneIdempotencyKeys](_payload, helpers) {
    const pruned = await pruneIdempotencyKeys();
    if (pruned) helpers.logger.info(`idempotency keys: pruned ${pruned}`);
  },

  /** The console's request log keeps REQUEST_LOG_RETENTION_HOURS (lib/request-log). */
  async [TASKS.pruneApiRequests](_payload, helpers) {
    const pruned = await pruneApiRequests();
    if (pruned) helpers.logger.info(`request log: pruned ${pruned}`);
  },

  /**
   * Outbound webhooks (lib/webhooks): queued after every commit that recorded outbox events,
   * run every minute as a safety net, and re-queued here for the soonest retry, so a retry
   * waits for its backoff and not for the next minute.
   */
  async [TASKS.dispatchWebhooks](_payload, helpers) {
    const run = await dispatchWebhooks();
    if (run.attempted) {
      helpers.logger.info(`webhooks: ${run.attempted} attempt(s), ${run.delivered} delivered, ${run.failed} given up`);
    }
    if (run.nextAttemptAt) {
      const runAt = new Date(Math.max(run.nextAttemptAt.getTime(), Date.now() + 1000));
      await helpers.addJob(TASKS.dispatchWebhooks, {}, { runAt, jobKey: WEBHOOK_RETRY_KEY, jobKeyMode: "replace", maxAttempts: 1 });
    }
  },
};

/**
 * Recurring tasks. graphile-worker schedules each tick once across all app replicas (its
 * known_crontabs lock); no backfill: a missed minute is covered by the next run, which
 * picks up everything overdue. One attempt per tick: the next tick is the retry.
 */
export const cronItems: CronItem[] = [
  { task: TASKS.expireOverdueTopUps, match: "* * * * *", options: { backfillPeriod: 0, maxAttempts: 1 } },
  { task: TASKS.dispatchWebhooks, match: "* * * * *", options: { backfillPeriod: 0, maxAttempts: 1 } },
  { task: TASKS.pruneIdempotencyKeys, match: "17 * * * *", options: { backfillPeriod: 0, maxAttempts: 1 } },
  { task: TASKS.pruneApiRequests, match: "37 * * * *", options: { backfillPeriod: 0, maxAttempts: 1 } },
  { task: TASKS.processAutoTopUps, match: "* * * * *", options: { backfillPeriod: 0, maxAttempts: 1 } },
  { task: TASKS.expireDueHolds, match: "* * * * *", options: { backfillPeriod: 0, maxAttempts: 1 } },
  { task: TASKS.pruneConsoleSessions, match: "41 * * * *", options: { backfillPeriod: 0, maxAttempts: 1 } },
];
