import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { appPort, localPort } from "@/lib/local-ports";
import { decideStripeMode, describeStripeMode } from "@/lib/stripe/stripe-mode";
import { localDataDir, openDevDatabase, type DevDatabase } from "./dev-database";
import { detachLibrarySignalHandlers, portIsFree } from "./embedded-pg";
import { exited } from "./child-exit";
import { PRODUCTION_SERVER_ARGS } from "./production-server";

/**
 * What `npm run dev` and `npm start` share: the database (DATABASE_URL, or the embedded
 * one in <data dir>/pg, migrated), the local Stripe emulator in emulator mode, then the app
 * with that environment: `next dev`, or for `npm start` the production server
 * (server/main.ts) on a `next build`.
 *
 * Stripe (lib/stripe/stripe-mode.ts): STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET, or
 * STRIPE_MODE=emulator for the local emulator. `npm run dev` without a key means the
 * emulator; `npm start` without either refuses to start before anything is started.
 *
 * Ports: PORT (3000) on HOST (127.0.0.1) for the app; PGPORT and STRIPE_EMULATOR_PORT
 * follow PORT (lib/local-ports.ts). A port that is taken stops the start with a message
 * saying which variable to set: never another instance's emulator or database.
 *
 * Processes: the app and PostgreSQL run in process groups of their own, so the terminal's
 * Ctrl+C reaches only this process, which stops them in order: the app, the emulator,
 * then PostgreSQL, on SIGINT, SIGTERM (what `kill <npm pid>` and process managers send,
 * forwarded by npm) and SIGHUP. A second signal, a second or more after the first, kills
 * the app at once. PostgreSQL exiting on its own stops the rest and exits 1.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");
const NEXT_BIN = path.join(ROOT, "node_modules/next/dist/bin/next");
/** Known to the app and the emulator only in development; real Stripe secrets come from env. */
const DEV_WEBHOOK_SECRET = "whsec_drawdown_dev_emulator";
const CHILD_STOP_TIMEOUT_MS = 10_000;
/** Repeats of one signal within this window are the same stop (npm forwards what the terminal also sent). */
const SIGNAL_REPEAT_MS = 1_000;
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
const EMULATOR_HOST = "127.0.0.1";

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
  let app: ChildProcess | undefined;
  let shuttingDown: Promise<never> | undefined;
  let firstSignalAt = 0;

  const shutdown = (code: number): Promise<never> => {
    shuttingDown ??= (async () => {
      if (app) await stopProcessGroup(app, "SIGTERM", CHILD_STOP_TIMEOUT_MS);
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
        if (Date.now() - firstSignalAt >= SIGNAL_REPEAT_MS && app) killGroup(app, "SIGKILL");
        return;
      }
      firstSignalAt = Date.now();
      log(`${signal}: stopping`);
      void shutdown(signal === "SIGINT" ? 130 : signal === "SIGTERM" ? 143 : 129);
    });
  }

  try {
    // Development means the emulator unless keys are given; production says so itself.
    if (mode === "dev" && !process.env.STRIPE_SECRET_KEY?.trim()) process.env.STRIPE_MODE ||= "emulator";
    const stripe = decideStripeMode(process.env);
    if (stripe.kind === "refused") throw new Error(`${mode === "start" ? "npm start" : "npm run dev"}: ${stripe.reason}`);
    if (stripe.kind === "stripe") log(describeStripeMode(stripe, ""));
    const port = appPort();
    const host = process.env.HOST || "127.0.0.1";
    const emulatorPort = stripe.kind === "emulator" ? localPort("STRIPE_EMULATOR_PORT") : undefined;
    await requireFreePorts([
      { host, port, what: `the app (PORT=${port}, HOST=${host})`, variable: "PORT" },
      ...(emulatorPort ? [{ host: EMULATOR_HOST, port: emulatorPort, what: `the Stripe emulator (STRIPE_EMULATOR_PORT=${emulatorPort})`, variable: "STRIPE_EMULATOR_PORT" }] : []),
    ]);
    process.env.APP_URL ??= `http://localhost:${port}`;
    // This machine is offline and self-hosters may not want it either; opt in with 0.
    process.env.NEXT_TELEMETRY_DISABLED ??= "1";
    // In development a platform's webhook receiver is usually on this machine (localhost);
    // `npm start` keeps the production default: public destinations only.
    if (mode === "dev") process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS ??= "true";

    db = await openDevDatabase(log, { ownProcessGroup: true });
    process.env.DATABASE_URL = db.url;
    if (shuttingDown) return await shuttingDown;

    if (emulatorPort !== undefined) emulator = await startEmulator(emulatorPort);
    if (shuttingDown) return await shuttingDown;

    if (mode === "start" && !process.env.NEXTAUTH_SECRET) process.env.NEXTAUTH_SECRET = localAuthSecret();

    if (mode === "start" && !existsSync(path.join(ROOT, ".next/BUILD_ID"))) {
      log("No production build found: running `next build` first");
      app = spawnApp([NEXT_BIN, "build"], process.env);
      const code = await exitCode(app);
      app = undefined;
      if (code !== 0) {
        log(`next build failed (exit ${code})`);
        return await shutdown(code || 1);
      }
      if (shuttingDown) return await shuttingDown;
    }

    // Production: server/main.ts (Next.js for pages, /api/v1 straight to its route handlers).
    app =
      mode === "start"
        ? spawnApp(PRODUCTION_SERVER_ARGS, { ...process.env, NODE_ENV: "production", PORT: String(port), HOST: host })
        : spawnApp([NEXT_BIN, "dev", "--port", String(port), "--hostname", host], process.env);
    log(`${mode === "start" ? "Production server" : "Next.js (dev)"} on ${process.env.APP_URL}`);
    // Supervision: the app and the database live and die together.
    const outcome = await Promise.race([
      exitCode(app).then((code) => ({ code, why: `the app exited (${code})` })),
      db.exitedOnItsOwn.then((why) => ({ code: 1, why: `${why}\nStopping: the app cannot work without its database.` })),
    ]);
    if (!shuttingDown) log(outcome.why);
    return await shutdown(outcome.code);
  } catch (err) {
    console.error(`[drawdown] ${err instanceof Error ? err.message : String(err)}`);
    return await shutdown(1);
  }
}

/**
 * Refuses to start when a port is taken, before anything is started: `next dev` would
 * fail late, and the emulator's port held by another checkout's emulator would send this
 * app's top-ups to the other app.
 */
async function requireFreePorts(ports: { host: string; port: number; what: string; variable: string }[]): Promise<void> {
  for (const { host, port, what, variable } of ports) {
    if (await portIsFree(host, port)) continue;
    throw new Error(
      `Port ${port} for ${what} is already in use, by another Drawdown checkout or another program. ` +
        `To run this checkout beside another, set PORT (e.g. PORT=3001; PGPORT and STRIPE_EMULATOR_PORT follow it)` +
        (variable === "PORT" ? "." : `, or set ${variable}.`),
    );
  }
}

/**
 * `npm start` on one machine without NEXTAUTH_SECRET: a random secret made once for this
 * installation and kept in the data directory (.data, git-ignored; mode 0600), never a
 * built-in default.
 * Deployments with several app replicas must set NEXTAUTH_SECRET to one shared value.
 */
function localAuthSecret(): string {
  const file = path.join(localDataDir(), "nextauth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  log(`NEXTAUTH_SECRET unset: generated one for this installation in ${path.relative(ROOT, file)}`);
  return secret;
}

/**
 * The app (or `next build`) in a process group of its own (`detached`): the terminal's
 * Ctrl+C goes to this process only, which stops the app before the database it uses.
 * Output still goes to this terminal; stdin is not the app's.
 */
function spawnApp(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "inherit", "inherit"], detached: true });
}

/** Signals the child's whole process group (next dev forks a server of its own); gone already is fine. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (!child.pid) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is gone
  }
}

/**
 * Asks the group's leader to stop, kills the group if it has not within the timeout, and
 * kills whatever of the group outlived its leader, so nothing is left holding a port.
 */
async function stopProcessGroup(child: ChildProcess, signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill(signal);
    if (!(await exited(child, timeoutMs))) {
      killGroup(child, "SIGKILL");
      await exited(child, 5_000);
    }
  }
  killGroup(child, "SIGKILL");
}

/** Resolves with the exit code (128 + n for a signal). */
function exitCode(child: ChildProcess): Promise<number> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve(child.exitCode ?? 128 + signalNumber(child.signalCode!));
  }
  return new Promise((resolve) => {
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 + signalNumber(signal) : 1)));
  });
}

function signalNumber(signal: NodeJS.Signals): number {
  return { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 }[signal as string] ?? 0;
}


/**
 * The local Stripe emulator (scripts/stripe-emulator), in this process, loaded only when
 * it is used. The app reaches it through STRIPE_EMULATOR_URL and verifies its webhooks
 * with STRIPE_WEBHOOK_SECRET. Not starting is an error, not a warning: without it, the
 * app would create top-ups through whatever answers on that port.
 */
async function startEmulator(port: number): Promise<Closable> {
  const webhookSecret = (process.env.STRIPE_WEBHOOK_SECRET ??= DEV_WEBHOOK_SECRET);
  const { startStripeEmulator } = (await import(new URL("../stripe-emulator/server.ts", import.meta.url).href)) as EmulatorModule;
  try {
    const emulator = await startStripeEmulator({
      port,
      host: EMULATOR_HOST,
      webhookUrl: `${process.env.APP_URL}/api/stripe/webhook`,
      webhookSecret,
      // Sessions survive a restart: a top-up started before it can still be paid.
      stateFile: path.join(localDataDir(), "stripe-emulator.json"),
    });
    process.env.STRIPE_EMULATOR_URL = emulator.url;
    log(describeStripeMode({ kind: "emulator" }, emulator.url));
    return emulator;
  } catch (err) {
    const inUse = (err as NodeJS.ErrnoException).code === "EADDRINUSE";
    throw new Error(
      inUse
        ? `Port ${port} for the Stripe emulator is already in use, by another Drawdown checkout or another program. ` +
            "Set PORT to run this checkout beside another (STRIPE_EMULATOR_PORT follows it), or set STRIPE_EMULATOR_PORT."
        : `The Stripe emulator did not start on port ${port}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}
