import { pool } from "@/lib/db";

/** The graphile-worker task that fans out and delivers webhooks (lib/jobs registers it). */
export const WEBHOOK_DISPATCH_TASK = "dispatch_webhooks";

/** Job key of the "run now" request: requests made while one waits are merged into it. */
const DISPATCH_NOW_KEY = "dispatch_webhooks:now";

let inFlight: Promise<void> | null = null;
let requestedAgain = false;
let warned = false;

/**
 * Asks the job worker to dispatch webhooks now; called after a transaction that recorded
 * outbox events has committed. Best effort by design: the outbox rows are the truth, and
 * the dispatch task also runs every minute (lib/jobs cron), so a request lost to a crash
 * or a database hiccup only delays delivery.
 *
 * Cheap on the hot path: one `graphile_worker.add_job` with a job key (a queued request
 * absorbs the next ones; a request made while the job already runs makes a new job, so
 * events committed after it started are not missed), and at most one such statement in
 * flight per process: requests made meanwhile are merged into one more.
 */
export function requestWebhookDispatch(): void {
  if (inFlight) {
    requestedAgain = true;
    return;
  }
  inFlight = (async () => {
    do {
      requestedAgain = false;
      await enqueueDispatch();
    } while (requestedAgain);
  })().finally(() => {
    inFlight = null;
  });
}

async function enqueueDispatch(): Promise<void> {
  try {
    await pool().query(
      `SELECT graphile_worker.add_job($1::text, '{}'::json, job_key => $2::text, job_key_mode => 'replace', max_attempts => 1)`,
      [WEBHOOK_DISPATCH_TASK, DISPATCH_NOW_KEY],
    );
  } catch (error) {
    // No worker schema yet (the worker never ran against this database) or the database is
    // unreachable: the minute cron (or the first worker start) delivers what is pending.
    if (!warned) {
      warned = true;
      console.warn("[webhooks] could not queue a dispatch job; pending webhooks wait for the next worker run:", (error as Error).message);
    }
  }
}
