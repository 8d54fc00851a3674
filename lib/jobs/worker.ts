import { parseCronItems, run, type Runner } from "graphile-worker";
import { databaseUrl } from "@/lib/env";
import { setJobWorkerRunning } from "@/lib/observability/job-worker-state";
import { requestWebhookDispatch } from "@/lib/webhooks/request-webhook-dispatch";
import { cronItems, taskList } from "./tasks";

const globalForJobs = globalThis as unknown as { __drawdownJobRunner?: Promise<Runner> };

export interface JobWorkerOptions {
  /** Jobs run at once in this process (default 2). */
  concurrency?: number;
  /** Leave SIGINT/SIGTERM to the caller (tests). Default false: graphile-worker drains jobs on them. */
  noHandleSignals?: boolean;
  /** How often to look for future-dated jobs and retries, ms (default 2000). New jobs are seen at once (LISTEN/NOTIFY). */
  pollInterval?: number;
}

/**
 * Starts the graphile-worker runner in this process, once (a second call, e.g. after a
 * dev-server hot reload, returns the same runner). It uses DATABASE_URL and keeps its
 * queue in the `graphile_worker` schema, which it creates and migrates itself. Started by
 * instrumentation.ts when JOBS_IN_PROCESS is "true" (the default); with several app
 * replicas every one may run it: jobs are locked, cron ticks are scheduled once.
 */
export function startJobWorker(options: JobWorkerOptions = {}): Promise<Runner> {
  globalForJobs.__drawdownJobRunner ??= run({
    connectionString: databaseUrl(),
    concurrency: options.concurrency ?? 2,
    maxPoolSize: 4,
    noHandleSignals: options.noHandleSignals ?? false,
    pollInterval: options.pollInterval ?? 2000,
    taskList,
    parsedCronItems: parseCronItems(cronItems),
  })
    .then((runner) => {
      // Deliver now whatever webhooks were left pending (e.g. the process died after a
      // commit), instead of at the next minute's tick. Best effort, like every such request.
      requestWebhookDispatch();
      setJobWorkerRunning(true);
      // Its promise settles when the runner stops, on stopJobWorker or on its own; a
      // runner started since then keeps the flag.
      const starting = globalForJobs.__drawdownJobRunner;
      const stopped = () => {
        if (globalForJobs.__drawdownJobRunner === starting) setJobWorkerRunning(false);
      };
      runner.promise.then(stopped, stopped);
      return runner;
    })
    .catch((error: unknown) => {
      globalForJobs.__drawdownJobRunner = undefined;
      throw error;
    });
  return globalForJobs.__drawdownJobRunner;
}

/** Stops the runner started by startJobWorker (waits for running jobs). */
export async function stopJobWorker(): Promise<void> {
  const runner = globalForJobs.__drawdownJobRunner;
  globalForJobs.__drawdownJobRunner = undefined;
  setJobWorkerRunning(false);
  if (runner) await (await runner).stop();
}
