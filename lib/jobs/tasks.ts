import type { CronItem, TaskList } from "graphile-worker";
import { expireOverdueTopUps } from "@/lib/top-ups/expire-overdue-top-ups";

/** Task names (graphile-worker identifiers); other modules enqueue by these. */
export const TASKS = {
  expireOverdueTopUps: "expire_overdue_top_ups",
} as const;

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
};

/**
 * Recurring tasks. graphile-worker schedules each tick once across all app replicas (its
 * known_crontabs lock); no backfill: a missed minute is covered by the next run, which
 * picks up everything overdue. One attempt per tick: the next tick is the retry.
 */
export const cronItems: CronItem[] = [
  { task: TASKS.expireOverdueTopUps, match: "* * * * *", options: { backfillPeriod: 0, maxAttempts: 1 } },
];
