import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { openDevDatabase, type DevDatabase } from "./dev-database";
import { detachLibrarySignalHandlers } from "./embedded-pg";
import { PRODUCTION_SERVER_ARGS } from "./production-server";

/**
 * What `npm run dev` and `npm start` share: the database (DATABASE_URL, or the embedded
 * one in .data/pg, migrated), the local Stripe emulator when STRIPE_SECRET_KEY is unset,
 * then the app with that environment: `next dev`, or for `npm start` the production server
 * (server/main.ts) on a `next build`. Ctrl+C (or SIGTERM) stops the app first, then the
 * emulator, then PostgreSQL; a second signal kills the app at once.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");
const NEXT_BIN = path.join(ROOT, "node_modules/next/dist/bin/next");
const EMULATOR_PORT = 12111;
/** Known to the app and the emulator only in development; real Stripe secrets come from env. */
const DEV_WEBHOOK_SECRET = "whsec_drawdown_dev_emulator";
const CHILD_STOP_TIMEOUT_MS = 10_000;
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

interface Closable {
  close(): Promise<void>;
}

type EmulatorModule = {
  startStripeEmulator(opts: { port?: number; host?: string; webhookUrl: string; webhookSecret: string; stateFile?: string }): Promise<{
    url: string;
    port: number;
    close(): Promise<void>;
  }>;
};

const log = (line: string) => console.log(`[drawdown] ${line}`);

export async function runApp(mode: "dev" | "start"): Promise<never> {
  let db: DevDatabase | undefined;
  let emulator: Closable | undefined;
  let next: ChildProcess | undefined;
  let shuttingDown: Promise<never> | undefined;

  const shutdown = (code: number): Promise<never> => {
    shuttingDown ??= (async () => {
      if (next && next.exitCode === null && next.signalCode === null) {
        next.kill("SIGTERM");
        if (!(await exited(next, CHILD_STOP_TIMEOUT_MS))) next.kill("SIGKILL");
      }
      await emulator?.close().catch((err: unknown) => log(`Stripe emulator did not close cleanly: ${String(err)}`));
      await db?.stop().catch((err: unknown) => log(`PostgreSQL did not stop cleanly: ${String(err)}`));
      process.exit(code);
    })();
    return shuttingDown;
  };

  // Our own handlers decide the order of shutdown (see detachLibrarySignalHandlers).
  await detachLibrarySignalHandlers();
  for (const signal of SIGNALS) {
    process.on(signal, () => {
      if (shuttingDown) {
        next?.kill("SIGKILL");
        return;
      }
      log(`${signal}: stopping`);
      void shutdown(signal === "SIGINT" ? 130 : 143);
    });
  }

  try {
    const port = process.env.PORT ?? "3000";
    const host = process.env.HOST ?? "127.0.0.1";
    process.env.APP_URL ??= `http://localhost:${port}`;
    // This machine is offline and self-hosters may not want it either; opt in with 0.
    process.env.NEXT_TELEMETRY_DISABLED ??= "1";
    // In development a platform's webhook receiver is usually on this machine (localhost);
    // `npm start` keeps the production default: public destinations only.
    if (mode === "dev") process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS ??= "true";

    db = await openDevDatabase(log);
    process.env.DATABASE_URL = db.url;
    if (shuttingDown) return await shuttingDown;

    if (!process.env.STRIPE_SECRET_KEY) emulator = await startEmulator();
    if (shuttingDown) return await shuttingDown;

    if (mode === "start" && !process.env.NEXTAUTH_SECRET) process.env.NEXTAUTH_SECRET = localAuthSecret();

    if (mode === "start" && !existsSync(path.join(ROOT, ".next/BUILD_ID"))) {
      log("No production build found: running `next build` first");
      const build = spawnNext(["build"]);
      next = build;
      const code = await exitCode(build);
      next = undefined;
      if (code !== 0) {
        log(`next build failed (exit ${code})`);
        return await shutdown(code || 1);
      }
      if (shuttingDown) return await shuttingDown;
    }

    // Production: server/main.ts (Next.js for pages, /api/v1 straight to its route handlers).
    next =
      mode === "start"
        ? spawn(process.execPath, PRODUCTION_SERVER_ARGS, {
            cwd: ROOT,
            env: { ...process.env, NODE_ENV: "production", PORT: port, HOST: host },
            stdio: "inherit",
          })
        : spawnNext(["dev", "--port", port, "--hostname", host]);
    log(`${mode === "start" ? "Production server" : "Next.js (dev)"} on ${process.env.APP_URL}`);
    const code = await exitCode(next);
    if (!shuttingDown) log(`the app exited (${code})`);
    return await shutdown(code);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    return await shutdown(1);
  }
}

/**
 * `npm start` on one machine without NEXTAUTH_SECRET: a random secret made once for this
 * installation and kept in .data (git-ignored, mode 0600), never a built-in default.
 * Deployments with several app replicas must set NEXTAUTH_SECRET to one shared value.
 */
function localAuthSecret(): string {
  const file = path.join(ROOT, ".data/nextauth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  log(`NEXTAUTH_SECRET unset: generated one for this installation in ${path.relative(ROOT, file)}`);
  return secret;
}

function spawnNext(args: string[]): ChildProcess {
  return spawn(process.execPath, [NEXT_BIN, ...args], { cwd: ROOT, env: process.env, stdio: "inherit" });
}

/** Resolves with the exit code (128 + n for a signal). */
function exitCode(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 + signalNumber(signal) : 1)));
  });
}

function signalNumber(signal: NodeJS.Signals): number {
  return { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 }[signal as string] ?? 0;
}

function exited(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * The local Stripe emulator (scripts/stripe-emulator), loaded lazily so this file works
 * before or without it. The app reaches it through STRIPE_EMULATOR_URL and verifies its
 * webhooks with STRIPE_WEBHOOK_SECRET.
 */
async function startEmulator(): Promise<Closable | undefined> {
  const webhookSecret = (process.env.STRIPE_WEBHOOK_SECRET ??= DEV_WEBHOOK_SECRET);
  let mod: Partial<EmulatorModule>;
  try {
    mod = (await import(new URL("../stripe-emulator/server.ts", import.meta.url).href)) as Partial<EmulatorModule>;
  } catch (err) {
    log(`WARNING: the Stripe emulator could not be loaded (${String(err)}); top-ups will not work`);
    return undefined;
  }
  if (typeof mod.startStripeEmulator !== "function") {
    log("WARNING: scripts/stripe-emulator/server.ts has no startStripeEmulator(); top-ups will not work");
    return undefined;
  }
  try {
    const emulator = await mod.startStripeEmulator({
      port: EMULATOR_PORT,
      host: "127.0.0.1",
      webhookUrl: `${process.env.APP_URL}/api/stripe/webhook`,
      webhookSecret,
      // Sessions survive a restart: a top-up started before it can still be paid.
      stateFile: path.join(ROOT, ".data/stripe-emulator.json"),
    });
    process.env.STRIPE_EMULATOR_URL = emulator.url;
    log(`Stripe emulator on ${emulator.url} (STRIPE_SECRET_KEY unset)`);
    return emulator;
  } catch (err) {
    log(`WARNING: the Stripe emulator did not start on port ${EMULATOR_PORT} (${String(err)}); top-ups will not work`);
    return undefined;
  }
}
