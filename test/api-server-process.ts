import { startTestApiServer } from "./api-server";

/**
 * One app process for test/multi-process.int.test.ts: the router the production server uses
 * for /api/v1 (test/api-server.ts, over the route sources, no build), on a free port, with
 * the environment it was started with (DATABASE_URL, JOBS_IN_PROCESS, …). Prints
 * `listening <url>` once ready and stops on SIGTERM.
 */
const server = await startTestApiServer();
console.log(`listening ${server.url}`);
process.once("SIGTERM", () => {
  void server.close().finally(() => process.exit(0));
});
