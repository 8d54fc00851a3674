import { expect, test } from "@playwright/test";
import {
  commandLine,
  descendants,
  killAppRunner,
  leftovers,
  RUNNER_HOST,
  startAppRunner,
  waitUntilAnswering,
  within,
} from "@/scripts/lib/testing/app-runner";

/**
 * `npm start` on the production build this suite made, as a process manager or a container
 * runtime runs it: SIGTERM to the npm process stops the production server, the Stripe
 * emulator and the embedded PostgreSQL, with nothing left running and every port free.
 * (`npm run dev`'s stops, supervision and port checks: scripts/run-app.int.test.ts.)
 */
test("npm start stops on SIGTERM to npm with nothing left running and every port free", async () => {
  test.setTimeout(240_000);
  const runner = await startAppRunner("start", undefined, { STRIPE_MODE: "emulator" });
  try {
    await waitUntilAnswering(runner, 180_000);
    const tree = descendants(runner.npm.pid!);
    const commands = tree.map(commandLine).join("\n");
    expect(commands).toMatch(/postgres/);
    expect(commands).toMatch(/server\/main\.ts/);

    process.kill(runner.npm.pid!, "SIGTERM");
    const exit = await within(runner.exit, 60_000, "npm exiting after SIGTERM");
    expect(exit.code ?? exit.signal).not.toBe(0);
    expect(await leftovers(runner, tree)).toEqual([]);
    expect(runner.output()).toMatch(/SIGTERM: stopping/);
  } finally {
    await killAppRunner(runner);
  }
});

/**
 * One process, one copy of lib/ for everything that is not a page: the production server's
 * router serves /api/v1 from the build's compiled route modules, on the Turbopack runtime
 * Next.js's own route handlers (the portal's routes, the Stripe webhook) run on, so they
 * share every module instance (one Prisma client, one ledger batch queue per customer, one
 * cache). lib/db.ts counts its evaluations; GET /api/ready reports them as module_graphs.
 * The job worker is started elsewhere here (JOBS_IN_PROCESS=false): instrumentation.ts and
 * pages are compiled by Next.js apart from route handlers (docs/ARCHITECTURE.md).
 */
test("npm start: the API, the portal's routes and the Stripe webhook share one copy of lib/, and the log names the Stripe mode", async () => {
  test.setTimeout(240_000);
  const runner = await startAppRunner("start", undefined, { STRIPE_MODE: "emulator", JOBS_IN_PROCESS: "false" });
  try {
    await waitUntilAnswering(runner, 180_000);
    expect(runner.output()).toMatch(new RegExp(`\\[server\\] Stripe: emulator at http://127\\.0\\.0\\.1:${runner.ports.emulator}`));
    const base = `http://${RUNNER_HOST}:${runner.ports.app}`;
    const moduleGraphs = async () => {
      const ready = await fetch(`${base}/api/ready`);
      expect(ready.status).toBe(200);
      return ((await ready.json()) as { module_graphs: number }).module_graphs;
    };
    // Each loads its route module (refused, as nobody signed in): the router's, then Next.js's.
    expect((await fetch(`${base}/api/v1/customers`)).status).toBe(401);
    expect((await fetch(`${base}/api/portal/overview`)).status).toBe(401);
    expect((await fetch(`${base}/api/stripe/webhook`, { method: "POST", body: "{}" })).status).toBe(400);
    expect(await moduleGraphs()).toBe(1);
    // A page that reads the database renders in Next.js's page runtime, a copy of its own.
    await fetch(`${base}/sign-in`);
    expect(await moduleGraphs()).toBe(2);
  } finally {
    await killAppRunner(runner);
  }
});
