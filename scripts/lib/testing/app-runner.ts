import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { freePort, portIsFree } from "../embedded-pg";

/**
 * `npm run dev` / `npm start` as a person or a process manager runs them, for the
 * lifecycle tests (scripts/run-app.int.test.ts, e2e/lifecycle.spec.ts): its own embedded
 * PostgreSQL in a temp DRAWDOWN_DATA_DIR (DATABASE_URL unset), its Stripe emulator and the
 * app, all on free ports, in a process group of its own (as a terminal's foreground job).
 */

const ROOT = path.resolve(import.meta.dirname, "../../..");
export const RUNNER_HOST = "127.0.0.1";

export interface AppRunner {
  npm: ChildProcess;
  ports: { app: number; postgres: number; emulator: number };
  dataDir: string;
  output(): string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function startAppRunner(script: "dev" | "start", ports?: Partial<AppRunner["ports"]>, extraEnv: Record<string, string> = {}): Promise<AppRunner> {
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
    HOST: RUNNER_HOST,
    PGPORT: String(all.postgres),
    STRIPE_EMULATOR_PORT: String(all.emulator),
    DRAWDOWN_DATA_DIR: dataDir,
    NEXT_TELEMETRY_DISABLED: "1",
  };
  for (const name of ["DATABASE_URL", "STRIPE_MODE", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_EMULATOR_URL", "APP_URL", "NODE_ENV", "NEXTAUTH_SECRET"]) {
    delete env[name];
  }
  Object.assign(env, extraEnv);
  const npm = spawn("npm", ["run", script], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let text = "";
  npm.stdout!.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
  npm.stderr!.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    npm.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return { npm, ports: all, dataDir, output: () => text, exit };
}

/** Until the app answers HTTP (any status); fails early when the runner exits. */
export async function waitUntilAnswering(runner: AppRunner, timeoutMs: number): Promise<void> {
  let exited = false;
  void runner.exit.then(() => (exited = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`the runner exited before answering:\n${runner.output()}`);
    const answered = await fetch(`http://${RUNNER_HOST}:${runner.ports.app}/api/health`, { signal: AbortSignal.timeout(20_000) })
      .then(() => true)
      .catch(() => false);
    if (answered) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the runner did not answer in ${timeoutMs} ms:\n${runner.output()}`);
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

export function descendants(pid: number): number[] {
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

export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

export function postmasterPid(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(path.join(dataDir, "pg/postmaster.pid"), "utf8").split("\n")[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** What is left of `tree` and the runner's ports after a stop (empty: all gone). */
export async function leftovers(runner: AppRunner, tree: number[]): Promise<string[]> {
  // PostgreSQL's backends notice their postmaster's death on their own: give them a moment.
  const deadline = Date.now() + 10_000;
  while (tree.some(isRunning) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  const left = tree.filter(isRunning).map((pid) => `process ${pid} ${commandLine(pid)}`);
  for (const [name, port] of Object.entries(runner.ports)) {
    if (!(await portIsFree(RUNNER_HOST, port))) left.push(`${name} port ${port} still taken`);
  }
  return left;
}

/** Kills whatever is left of a runner (a failed test must not leave a server running). */
export async function killAppRunner(runner: AppRunner): Promise<void> {
  for (const pid of [runner.npm.pid!, ...descendants(runner.npm.pid!), postmasterPid(runner.dataDir)]) {
    if (!pid) continue;
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone
    }
  }
  await fs.rm(runner.dataDir, { recursive: true, force: true });
}

export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms))]);
}
