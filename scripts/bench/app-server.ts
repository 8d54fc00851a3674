import { spawn, type ChildProcess } from "node:child_process";
import { PRODUCTION_SERVER_ARGS } from "../lib/production-server";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { freePort } from "@/scripts/lib/embedded-pg";

/**
 * The production app for the benchmark: `next build` when .next/BUILD_ID is missing or
 * older than any source the build reads, then the production server (server/main.ts, as `npm start` runs it) on a free loopback port with
 * the benchmark's database. Everything here stops by itself: the build is retried a
 * bounded number of times, readiness is awaited with a deadline, stop() escalates to
 * SIGKILL.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");
const NEXT_BIN = path.join(ROOT, "node_modules/next/dist/bin/next");
const BUILD_ID = path.join(ROOT, ".next/BUILD_ID");
/** What `next build` reads; tests are excluded (they do not change the build). */
const BUILD_INPUT_DIRS = ["app", "lib", "components", "public"];
const BUILD_INPUT_FILES = ["next.config.ts", "postcss.config.mjs", "package-lock.json", "tsconfig.json", "prisma/schema.prisma"];
const IGNORED = /(\.test\.tsx?|\.int\.test\.tsx?)$/;
const BUILD_ATTEMPTS = 3;
const BUILD_RETRY_WAIT_MS = 60_000;
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
const LOG_TAIL = 60;

export interface AppServer {
  url: string;
  /** The app server process (server/main.ts: it serves requests itself). */
  pid: number | undefined;
  /** The last lines the server printed (for error reports). */
  logTail(): string;
  stop(): Promise<void>;
}

async function newestMtime(dir: string): Promise<{ file: string; mtimeMs: number } | null> {
  let newest: { file: string; mtimeMs: number } | null = null;
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isFile() || IGNORED.test(entry.name)) continue;
    const file = path.join(entry.parentPath, entry.name);
    const stat = await fs.stat(file).catch(() => null);
    if (stat && (!newest || stat.mtimeMs > newest.mtimeMs)) newest = { file, mtimeMs: stat.mtimeMs };
  }
  return newest;
}

/** Why a build is needed, or null when .next/BUILD_ID is newer than every build input. */
export async function buildStaleness(): Promise<string | null> {
  const built = await fs.stat(BUILD_ID).catch(() => null);
  if (!built) return ".next/BUILD_ID is missing";
  for (const dir of BUILD_INPUT_DIRS) {
    const newest = await newestMtime(path.join(ROOT, dir));
    if (newest && newest.mtimeMs > built.mtimeMs) return `${path.relative(ROOT, newest.file)} is newer than the build`;
  }
  for (const file of BUILD_INPUT_FILES) {
    const stat = await fs.stat(path.join(ROOT, file)).catch(() => null);
    if (stat && stat.mtimeMs > built.mtimeMs) return `${file} is newer than the build`;
  }
  return null;
}

function exitCode(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

/** Current child processes, so a signal handler can stop them (see stopChildren). */
const children = new Set<ChildProcess>();

function spawnNext(args: string[], env: NodeJS.ProcessEnv, onLine: (line: string) => void): ChildProcess {
  return spawnNode([NEXT_BIN, ...args], env, onLine);
}

function spawnNode(args: string[], env: NodeJS.ProcessEnv, onLine: (line: string) => void): ChildProcess {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  child.once("exit", () => children.delete(child));
  for (const stream of [child.stdout, child.stderr]) {
    let partial = "";
    stream?.setEncoding("utf8");
    stream?.on("data", (chunk: string) => {
      const lines = (partial + chunk).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) if (line.trim()) onLine(line);
    });
  }
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = exitCode(child);
  child.kill("SIGTERM");
  const timer = new Promise<"timeout">((r) => setTimeout(r, STOP_TIMEOUT_MS, "timeout").unref());
  if ((await Promise.race([exited, timer])) === "timeout") {
    child.kill("SIGKILL");
    await exited;
  }
}

/** Stops whatever this module started and is still running (used on errors and signals). */
export async function stopChildren(): Promise<void> {
  await Promise.all([...children].map(stopChild));
}

/**
 * Runs `next build` (retried: another session may be building into the same .next, or
 * have a half-edited file that breaks the build for a few minutes).
 */
export async function buildApp(env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<void> {
  for (let attempt = 1; attempt <= BUILD_ATTEMPTS; attempt++) {
    const tail: string[] = [];
    const started = Date.now();
    const child = spawnNext(["build"], env, (line) => {
      tail.push(line);
      if (tail.length > LOG_TAIL) tail.shift();
    });
    const code = await exitCode(child);
    if (code === 0 && existsSync(BUILD_ID)) {
      log(`next build done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
      return;
    }
    log(`next build failed (exit ${code}, attempt ${attempt}/${BUILD_ATTEMPTS}):\n${tail.join("\n")}`);
    if (attempt < BUILD_ATTEMPTS) {
      log(`retrying in ${BUILD_RETRY_WAIT_MS / 1000} s (another session may be building or mid-edit)`);
      await new Promise((r) => setTimeout(r, BUILD_RETRY_WAIT_MS));
    }
  }
  throw new Error(`next build failed ${BUILD_ATTEMPTS} times; fix the build or run with --no-build on an existing one`);
}

export interface StartAppInput {
  databaseUrl: string;
  poolSize: number;
  /** `node --cpu-prof --cpu-prof-dir` for the app (the profile is written when it stops). */
  cpuProfDir?: string;
}

/** The production server (server/main.ts) on a free loopback port; resolves once the API answers. */
export async function startApp(input: StartAppInput): Promise<AppServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // The benchmark never reaches Stripe; the production server still wants a Stripe mode.
  const { STRIPE_SECRET_KEY: _real, ...inherited } = process.env;
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    STRIPE_MODE: "emulator",
    DATABASE_URL: input.databaseUrl,
    DATABASE_POOL_SIZE: String(input.poolSize),
    APP_URL: url,
    NEXTAUTH_URL: url,
    // A throwaway secret: this server lives for one benchmark run on loopback.
    NEXTAUTH_SECRET: randomBytes(32).toString("hex"),
    JOBS_IN_PROCESS: "false",
    // High enough never to answer 429: the benchmark measures the ledger, not the limiter.
    API_RATE_LIMIT: "10000000",
  };
  const tail: string[] = [];
  const profile = input.cpuProfDir ? ["--cpu-prof", "--cpu-prof-dir", input.cpuProfDir] : [];
  const child = spawnNode([...profile, ...PRODUCTION_SERVER_ARGS], { ...env, PORT: String(port), HOST: "127.0.0.1" }, (line) => {
    tail.push(line);
    if (tail.length > LOG_TAIL) tail.shift();
  });
  const server: AppServer = { url, pid: child.pid, logTail: () => tail.join("\n"), stop: () => stopChild(child) };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the app server exited early (${child.exitCode ?? child.signalCode}):\n${server.logTail()}`);
    }
    const ready = await fetch(`${url}/api/v1/openapi.json`, { signal: AbortSignal.timeout(2000) })
      .then((r) => r.ok)
      .catch(() => false);
    if (ready) return server;
    await new Promise((r) => setTimeout(r, 250));
  }
  await server.stop();
  throw new Error(`the app server did not answer within ${READY_TIMEOUT_MS / 1000} s:\n${server.logTail()}`);
}

/** The environment the build runs with (the build may read env; it gets the bench database). */
export function buildEnv(databaseUrl: string): NodeJS.ProcessEnv {
  return { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", DATABASE_URL: databaseUrl };
}
