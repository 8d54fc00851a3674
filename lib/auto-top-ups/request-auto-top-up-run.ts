import { pool } from "@/lib/db";

/** The graphile-worker task that pays pending auto top-ups (lib/jobs registers it). */
export const AUTO_TOP_UP_TASK = "process_auto_top_ups";

/** Job key of the "run now" request: requests made while one waits are merged into it. */
const RUN_NOW_KEY = "process_auto_top_ups:now";

let warned = false;

/**
 * Asks the job worker to pay pending auto top-ups now; called after a ledger batch that
 * recorded a request committed. Best effort: the request rows are the truth, and the task
 * also runs every minute (lib/jobs cron), so a lost request only delays the payment.
 */
export function requestAutoTopUpRun(): void {
  pool()
    .query(`SELECT graphile_worker.add_job($1::text, '{}'::json, job_key => $2::text, job_key_mode => 'replace', max_attempts => 1)`, [
      AUTO_TOP_UP_TASK,
      RUN_NOW_KEY,
    ])
    .catch((error: unknown) => {
      if (!warned) {
        warned = true;
        console.warn("[auto-top-ups] could not queue a run; pending requests wait for the next worker run:", (error as Error).message);
      }
    });
}
