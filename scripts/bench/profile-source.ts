import { spawn } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { migrate } from "@/scripts/db/migrate";
import { makeTempDataDir, startEmbeddedPostgres } from "@/scripts/lib/embedded-pg";
import { PRODUCTION_SERVER_ARGS } from "@/scripts/lib/production-server";
import { createFixtures } from "./fixtures";
import { httpHoldPairs } from "./hold-phases";
import { httpBatched, httpHot } from "./http-phases";

/**
 * `npm run bench:profile -- [--phase a|b|e|d] [--seconds 10] [--top 30] [--before 0]`: where the app's CPU
 * goes per event, by function, in source terms, and PostgreSQL's time per statement. Serves the route handlers from source
 * (scripts/bench/source-server.ts: the production router without Next's bundling, so names
 * are readable; its profiler runs during the measured phase only), drives phase (a) (100 events per request over
 * 1,000 customers, 16 connections), (b) (one hot wallet, 32 connections), (e) (single
 * events over 1,000 customers, 32 connections) or (d) (hold + capture pairs, 16 loops;
 * "per event" is then per pair) with the benchmark's own load, and prints
 * the top functions by self and by inclusive time as shares of the app's busy time, then
 * PostgreSQL's statements of the phase (pg_stat_statements): calls and execution time per
 * billed event, and the WAL it wrote (records, full-page images, bytes per event) with the
 * checkpoints it saw. `--before N` first runs the phase N times unprofiled, so the profiled
 * one meets a ledger as grown as in the benchmark's later rounds. Figures are for comparing costs inside one profile; the
 * throughput of this server is not the production server's (docs/benchmarks.md).
 */

const log = (line: string) => console.error(`[profile ${new Date().toISOString().slice(11, 19)}] ${line}`);

const { values } = parseArgs({
  options: {
    phase: { type: "string", default: "a" },
    seconds: { type: "string", default: "10" },
    top: { type: "string", default: "30" },
    before: { type: "string", default: "0" },
  },
});
const phase = values.phase === "b" || values.phase === "e" || values.phase === "d" ? values.phase : "a";
const seconds = Number(values.seconds);
const top = Number(values.top);
const before = Number(values.before);

const database = await startEmbeddedPostgres({
  dataDir: await makeTempDataDir(),
  persistent: false,
  settings: ["shared_preload_libraries=pg_stat_statements", "pg_stat_statements.track=all", ...(process.env.PGX ? process.env.PGX.split(" ") : [])],
});
const url = database.socketUrl ?? database.url;
process.env.DATABASE_URL = url;
await migrate(database.url);
const profileDir = await mkdtemp(path.join(os.tmpdir(), "drawdown-profile-"));
const env: NodeJS.ProcessEnv = {
  ...process.env, NODE_ENV: "production" as const, STRIPE_MODE: "emulator", DATABASE_URL: url, APP_URL: "http://127.0.0.1",
  JOBS_IN_PROCESS: "false", API_RATE_LIMIT: "10000000", REQUEST_LOG_RETENTION_HOURS: "72", PROFILE_DIR: profileDir,
};
let statements = "";
const child = spawn(process.execPath, [PRODUCTION_SERVER_ARGS[0]!, "--import", "tsx", "scripts/bench/source-server.ts"], {
  env, stdio: ["ignore", "pipe", "inherit"],
});
try {
  const appUrl = await new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      const match = /LISTENING (\S+)/.exec(chunk.toString());
      if (match) resolve(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`the source server exited (${code})`)));
  });
  const fixtures = await createFixtures(appUrl, 1000, log);
  const ctx = (tag: string) => ({ url: appUrl, apiKey: fixtures.apiKey, tag, log });
  log("warming up");
  await httpBatched(ctx("wa"), fixtures.warmup, 100, 16, 3);
  await httpHot(ctx("wb"), fixtures.warmup[0]!, 32, 3);
  const run = (tag: string) =>
    phase === "a"
      ? httpBatched(ctx(tag), fixtures.httpCustomers, 100, 16, seconds)
      : phase === "e"
        ? httpBatched(ctx(tag), fixtures.httpCustomers, 1, 32, seconds)
        : phase === "d"
          ? httpHoldPairs(ctx(tag), fixtures.httpCustomers, 16, seconds)
          : httpHot(ctx(tag), fixtures.httpHot, 32, seconds);
  for (let i = 1; i <= before; i++) log(`unprofiled round ${i}: ${Math.round((await run(`p${phase}${i}`)).perSecond)} billed events/s`);
  const stats = new pg.Client({ connectionString: url });
  await stats.connect();
  await stats.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
  await stats.query("SELECT pg_stat_statements_reset()");
  const walBefore = await walCounters(stats);
  log(`phase (${phase}) for ${seconds} s`);
  child.kill("SIGUSR2");
  const figure = await run(`p${phase}`);
  log(`${Math.round(figure.perSecond)} billed events/s (source server, profiled: not a benchmark figure)`);
  statements = `${await statementsPerEvent(stats, figure.ops, top)}\n\n${walText(walBefore, await walCounters(stats), figure.ops)}`;
  await stats.end();
} finally {
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await exited;
  await database.stop();
}

const file = path.join(profileDir, "app.cpuprofile");
console.log(summarizeProfile(JSON.parse(await readFile(file, "utf8")), top));
console.log(`\nprofile: ${file} (open in Chrome DevTools → Performance, or speedscope)`);
console.log(`\n${statements}`);

interface WalCounters { records: number; fpi: number; bytes: number; checkpoints: number; buffersWritten: number }

/** PostgreSQL's WAL and checkpoint counters (pg_stat_wal, pg_stat_checkpointer: PostgreSQL 17+). */
async function walCounters(client: pg.Client): Promise<WalCounters> {
  const { rows } = await client.query<{ records: string; fpi: string; bytes: string; checkpoints: string; buffers: string }>(
    `SELECT w.wal_records::text AS records, w.wal_fpi::text AS fpi, w.wal_bytes::text AS bytes,
            (c.num_timed + c.num_requested)::text AS checkpoints, c.buffers_written::text AS buffers
       FROM pg_stat_wal w, pg_stat_checkpointer c`,
  );
  const r = rows[0]!;
  return { records: Number(r.records), fpi: Number(r.fpi), bytes: Number(r.bytes), checkpoints: Number(r.checkpoints), buffersWritten: Number(r.buffers) };
}

function walText(a: WalCounters, b: WalCounters, events: number): string {
  const per = (n: number) => (n / events).toFixed(2);
  return `WAL per billed event: ${per(b.records - a.records)} records, ${per(b.fpi - a.fpi)} full-page images, ${per(b.bytes - a.bytes)} bytes` +
    ` (${((b.bytes - a.bytes) / 2 ** 20).toFixed(0)} MB in all); checkpoints during the phase: ${b.checkpoints - a.checkpoints}` +
    ` (${b.buffersWritten - a.buffersWritten} buffers written)`;
}

/** PostgreSQL's statements since the reset, by total execution time: calls and µs per billed event. */
async function statementsPerEvent(client: pg.Client, events: number, limit: number): Promise<string> {
  const { rows } = await client.query<{ calls: string; total: number; rows: string; query: string }>(
    `SELECT calls::text, total_exec_time AS total, rows::text, query FROM pg_stat_statements
      WHERE query NOT LIKE '%pg_stat_statements%' ORDER BY total_exec_time DESC LIMIT $1`,
    [limit],
  );
  const all = rows.reduce((t, r) => t + r.total, 0);
  const line = (r: (typeof rows)[number]) =>
    `${((1000 * r.total) / events).toFixed(1).padStart(7)} µs  ${(Number(r.calls) / events).toFixed(3).padStart(7)} calls  ${r.query.replace(/\s+/g, " ").slice(0, 110)}`;
  return `PostgreSQL execution time per billed event (${events} events; top ${limit} statements, ${((1000 * all) / events).toFixed(1)} µs in all; planning and protocol not included):\n${rows.map(line).join("\n")}`;
}

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }

function summarizeProfile(profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }, limit: number): string {
  const time = new Map<number, number>();
  profile.samples.forEach((id, i) => time.set(id, (time.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const name = (n: ProfileNode) => {
    const where = n.callFrame.url.replace(/^.*\/node_modules\//, "").replace(/^file:\/\/.*?\/(lib|app|server|scripts|test)\//, "$1/");
    return `${n.callFrame.functionName || "(anonymous)"} ${where ? `${where}:${n.callFrame.lineNumber + 1}` : ""}`.trim();
  };
  const idle = new Set(["(idle)", "(program)", "(root)"]);
  let busy = 0;
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const n of profile.nodes) {
    const t = time.get(n.id) ?? 0;
    if (!t || idle.has(n.callFrame.functionName)) continue;
    busy += t;
    self.set(name(n), (self.get(name(n)) ?? 0) + t);
    const seen = new Set<string>();
    for (let id: number | undefined = n.id; id !== undefined; id = parent.get(id)) {
      const k = name(byId.get(id)!);
      if (!seen.has(k) && !idle.has(byId.get(id)!.callFrame.functionName)) inclusive.set(k, (inclusive.get(k) ?? 0) + t);
      seen.add(k);
    }
  }
  const table = (m: Map<string, number>) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, limit).map(([k, t]) => `${((100 * t) / busy).toFixed(1).padStart(5)}%  ${k}`).join("\n");
  return `busy ${(busy / 1e6).toFixed(1)} s of CPU in the app\n\nself time (share of busy):\n${table(self)}\n\ninclusive time (share of busy):\n${table(inclusive)}`;
}
