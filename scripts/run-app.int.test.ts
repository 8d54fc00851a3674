import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { freePort, portIsFree } from "./lib/embedded-pg";

/**
 * `npm run dev` as a person or a process manager runs it: its own embedded PostgreSQL (in
 * a temp DRAWDOWN_DATA_DIR, DATABASE_URL unset), its Stripe emulator and `next dev`, all
 * on free ports. It must stop with nothing left behind, stop when its database dies, and
 * refuse a port that another instance holds. (`npm start` runs the same runner, but would
 * need a `next build`.)
 */

const ROOT = path.resolve(import.meta.dirname, "..");
const HOST = "127.0.0.1";

interface Runner {
  npm: ChildProcess;
  ports: { app: number; postgres: number; emulator: number };
  dataDir: string;
  output(): string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started: Runner[] = [];

afterEach(async () => {
  // A failed test must not leave a server running: kill whatever is left of each tree.
  for (const runner of started.splice(0)) {
    for (const pid of [runner.npm.pid!, ...descendants(runner.npm.pid!)]) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // gone
      }
    }
    const postmaster = postmasterPid(runner.dataDir);
    if (postmaster) {
      try {
        process.kill(postmaster, "SIGKILL");
      } catch {
        // gone
      }
    }
    await fs.rm(runner.dataDir, { recursive: true, force: true });
  }
});

async function startDev(ports?: Partial<Runner["ports"]>): Promise<Runner> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "drawdown-run-app-"));
  // Run as root, PostgreSQL runs as `postgres`, which must reach <dataDir>/pg.
  await fs.chmod(dataDir, 0o755);
  const all = {
    app: ports?.app ?? (await freePort()),
    postgres: ports?.postgres ?? (await freePort()),
    emulator: ports?.emulator ?? (await freePort()),
  };
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(all.app),
    HOST,
    PGPORT: String(all.postgres),
    STRIPE_EMULATOR_PORT: String(all.emulator),
    DRAWDOWN_DATA_DIR: dataDir,
    NEXT_TELEMETRY_DISABLED: "1",
  };
  for (const name of ["DATABASE_URL", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_EMULATOR_URL", "APP_URL", "NODE_ENV"]) {
    delete env[name];
  }
  // A process group of its own, as a terminal gives a foreground job: a Ctrl+C goes to it all.
  const npm = spawn("npm", ["run", "dev"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let text = "";
  npm.stdout!.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
  npm.stderr!.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    npm.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const runner = { npm, ports: all, dataDir, output: () => text, exit };
  started.push(runner);
  return runner;
}

/** Until the app answers HTTP (any status); fails early when the runner exits. */
async function waitUntilAnswering(runner: Runner, timeoutMs: number): Promise<void> {
  let exited = false;
  void runner.exit.then(() => (exited = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`npm run dev exited before answering:\n${runner.output()}`);
    const answered = await fetch(`http://${HOST}:${runner.ports.app}/api/health`, { signal: AbortSignal.timeout(20_000) })
      .then(() => true)
      .catch(() => false);
    if (answered) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`npm run dev did not answer in ${timeoutMs} ms:\n${runner.output()}`);
}

function parentPids(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, "utf8");
    } catch {
      continue;
    }
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
  }
  return children;
}

function descendants(pid: number): number[] {
  const children = parentPids();
  const found: number[] = [];
  const queue = [pid];
  while (queue.length) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** Alive and not a zombie waiting to be reaped. */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

function postmasterPid(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(path.join(dataDir, "pg/postmaster.pid"), "utf8").split("\n")[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

async function expectAllGone(runner: Runner, tree: number[]): Promise<void> {
  // PostgreSQL's backends notice their postmaster's death on their own: give them a moment.
  const deadline = Date.now() + 10_000;
  while (tree.some(isRunning) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  expect(tree.filter(isRunning).map((pid) => `${pid} ${commandLine(pid)}`)).toEqual([]);
  for (const [name, port] of Object.entries(runner.ports)) {
    expect(await portIsFree(HOST, port), `${name} port ${port} free`).toBe(true);
  }
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms))]);
}

describe("npm run dev", () => {
  it("stops on SIGTERM to npm with nothing left running and every port free", async () => {
    const runner = await startDev();
    await waitUntilAnswering(runner, 150_000);
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
