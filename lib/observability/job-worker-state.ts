/**
 * Whether this process's job worker has started and not stopped (GET /api/ready reports
 * it). lib/jobs/worker.ts sets it; it lives here so readiness does not import the jobs
 * (and through them every domain they run). On globalThis like the runner: every copy of
 * lib/ sees the worker instrumentation.ts started.
 */
const globalForJobs = globalThis as unknown as { __drawdownJobRunnerUp?: boolean };

export function isJobWorkerRunning(): boolean {
  return globalForJobs.__drawdownJobRunnerUp === true;
}

export function setJobWorkerRunning(running: boolean): void {
  globalForJobs.__drawdownJobRunnerUp = running;
}
