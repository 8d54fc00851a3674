import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  commandLine,
  descendants,
  killAppRunner,
  leftovers,
  postmasterPid,
  RUNNER_HOST,
  startAppRunner,
  waitUntilAnswering,
  within,
  type AppRunner,
} from "./lib/testing/app-runner";

/**
 * `npm run dev` as a person or a process manager runs it: its own embedded PostgreSQL (in
 * a temp DRAWDOWN_DATA_DIR, DATABASE_URL unset), its Stripe emulator and `next dev`, all
 * on free ports. It must stop with nothing left behind, stop when its database dies, and
 * refuse a port that another instance holds. `npm start` runs the same runner; its stop
 * is checked on a production build in e2e/lifecycle.spec.ts.
 */

const started: AppRunner[] = [];

afterEach(async () => {
  for (const runner of started.splice(0)) await killAppRunner(runner);
});

async function startDev(ports?: Partial<AppRunner["ports"]>): Promise<AppRunner> {
  const runner = await startAppRunner("dev", ports);
  started.push(runner);
  return runner;
}

async function expectAllGone(runner: AppRunner, tree: number[]): Promise<void> {
  expect(await leftovers(runner, tree)).toEqual([]);
}

const HOST = RUNNER_HOST;

describe("npm start's Stripe mode", () => {
  it("refuses to start without Stripe keys or STRIPE_MODE=emulator, before starting anything", async () => {
    const runner = await startAppRunner("start");
    started.push(runner);
    const exit = await within(runner.exit, 60_000, "npm start refusing");
    expect(exit.code).toBe(1);
    expect(runner.output()).toMatch(/npm start: Stripe is not configured\. Set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET .*, or STRIPE_MODE=emulator/);
    // Nothing was started: no database, no emulator, no build.
    expect(runner.output()).not.toMatch(/PostgreSQL|Stripe: emulator|next build/);
  }, 90_000);
});

describe("npm run dev", () => {
  it("stops on SIGTERM to npm with nothing left running and every port free", async () => {
    const runner = await startDev();
    await waitUntilAnswering(runner, 150_000);
    // Development without keys is the emulator, and the log says so.
    expect(runner.output()).toMatch(new RegExp(`Stripe: emulator at http://127\\.0\\.0\\.1:${runner.ports.emulator}`));
    // Under next dev too, a method the path does not serve is a 405 problem naming the ones it does (proxy.ts).
    const refused = await fetch(`http://${HOST}:${runner.ports.app}/api/v1/customers`, { method: "DELETE" });
    expect(refused.status).toBe(405);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(refused.headers.get("allow")).toBe("GET, POST, HEAD, OPTIONS");
    expect(((await refused.json()) as { detail: string }).detail).toBe("Allowed methods: GET, POST, HEAD, OPTIONS.");
    const tree = descendants(runner.npm.pid!);
    expect(tree.map(commandLine).join("\n")).toMatch(/postgres/);
    expect(tree.map(commandLine).join("\n")).toMatch(/next/);

    process.kill(runner.npm.pid!, "SIGTERM");
    const exit = await within(runner.exit, 60_000, "npm exiting after SIGTERM");
    expect(exit.code ?? exit.signal).not.toBe(0);
    await expectAllGone(runner, tree);
    expect(runner.output()).toMatch(/SIGTERM: stopping/);
  }, 240_000);

  it("stops quietly on Ctrl+C: the app, then the emulator, then PostgreSQL, without error lines", async () => {
    const runner = await startDev();
    await waitUntilAnswering(runner, 150_000);
    const tree = descendants(runner.npm.pid!);

    // What the terminal does on Ctrl+C: SIGINT to every process of the foreground group.
    process.kill(-runner.npm.pid!, "SIGINT");
    await within(runner.exit, 60_000, "npm exiting after Ctrl+C");
    await expectAllGone(runner, tree);
    const stopped = runner.output().slice(runner.output().indexOf("SIGINT: stopping"));
    expect(runner.output()).toMatch(/SIGINT: stopping/);
    expect(stopped).not.toMatch(/ERROR|FATAL|npm error|Error:/);
  }, 240_000);

  it("exits non-zero, stopping the app, when its PostgreSQL exits on its own", async () => {
    const runner = await startDev();
    await waitUntilAnswering(runner, 150_000);
    const tree = descendants(runner.npm.pid!);
    const postmaster = postmasterPid(runner.dataDir);
    expect(postmaster).not.toBeNull();

    process.kill(postmaster!, "SIGKILL");
    const exit = await within(runner.exit, 60_000, "npm exiting after PostgreSQL died");
    expect(exit.code).toBe(1);
    expect(runner.output()).toMatch(/PostgreSQL \(pid \d+\) exited on its own/);
    await expectAllGone(runner, tree);
  }, 240_000);

  it("refuses to start when the Stripe emulator's port is taken, naming the variable to set", async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, HOST, resolve));
    const taken = (squatter.address() as net.AddressInfo).port;
    try {
      const runner = await startDev({ emulator: taken });
      const exit = await within(runner.exit, 60_000, "npm exiting on a taken port");
      expect(exit.code).toBe(1);
      expect(runner.output()).toContain(`Port ${taken} for the Stripe emulator (STRIPE_EMULATOR_PORT=${taken}) is already in use`);
      expect(runner.output()).toMatch(/set PORT \(e\.g\. PORT=3001; PGPORT and STRIPE_EMULATOR_PORT follow it\)/);
      // Nothing was started: no database was initialised.
      expect(postmasterPid(runner.dataDir)).toBeNull();
    } finally {
      await new Promise((r) => squatter.close(r));
    }
  }, 90_000);

  it("refuses a PostgreSQL port that another server holds", async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, HOST, resolve));
    const taken = (squatter.address() as net.AddressInfo).port;
    try {
      const runner = await startDev({ postgres: taken });
      const exit = await within(runner.exit, 60_000, "npm exiting on a taken port");
      expect(exit.code).toBe(1);
      expect(runner.output()).toContain(`Port ${taken} for the embedded PostgreSQL is already in use`);
      expect(runner.output()).toContain("set PGPORT or DATABASE_URL");
    } finally {
      await new Promise((r) => squatter.close(r));
    }
  }, 90_000);
});
