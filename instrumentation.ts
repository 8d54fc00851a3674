/**
 * Next.js start-up hook (runs once per server process). Starts the background job worker
 * (lib/jobs: top-up expiry, webhook delivery) inside the app process when JOBS_IN_PROCESS is "true", the
 * default; set it to "false" on replicas that should only serve HTTP. Node.js runtime
 * only: the worker needs pg and timers, which the edge runtime does not have.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("./lib/env");
  if (env().JOBS_IN_PROCESS !== "true") return;
  const { startJobWorker } = await import("./lib/jobs/worker");
  try {
    await startJobWorker();
  } catch (error) {
    // The app still serves requests; unpaid top-ups then wait for the next start.
    console.error("[jobs] the background worker did not start:", error);
  }
}
