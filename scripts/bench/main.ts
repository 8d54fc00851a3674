import { writeFile } from "node:fs/promises";
import os from "node:os";
import { migrate } from "@/scripts/db/migrate";
import { detachLibrarySignalHandlers, makeTempDataDir, startEmbeddedPostgres, type EmbeddedPostgresHandle } from "@/scripts/lib/embedded-pg";
import { buildApp, buildEnv, buildStaleness, startApp, stopChildren, type AppServer } from "./app-server";
import { billedEvents, checkWallets } from "./checks";
import { cpuProbe } from "./cpu";
import { directBatched } from "./direct-phases";
import type { RunFigures } from "./figures";
import { createFixtures } from "./fixtures";
import { holdPhase, holdPhaseErrors, renderHoldPhase, type HoldPairs } from "./hold-phases";
import { httpBatched, httpHot } from "./http-phases";
import { parseBenchOptions, usage, type BenchOptions } from "./options";
import { renderReport, summarize } from "./report";
import { createSqlFixtures } from "./sql-phases";
import { runRound, type RoundContext } from "./round";

/**
 * `npm run bench [-- --duration 10 --runs 3 --no-build]`: the ledger's throughput and
 * latency through the production HTTP API, each figure beside the same charges made by
 * calling lib/ledger directly (see docs/benchmarks.md). Starts and always stops its own
 * throwaway PostgreSQL and the production app server (server/main.ts); exits 1 when any wallet is not exact, verifyLedger
 * finds a violation, or a client saw an error; 2 on bad arguments.
 */

const WARMUP_SECONDS = 3;
const log = (line: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

let database: EmbeddedPostgresHandle | undefined;
let app: AppServer | undefined;
let closeDb: (() => Promise<void>) | undefined;
let cleaning: Promise<void> | undefined;

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await app?.stop().catch((e: unknown) => log(`the app server did not stop cleanly: ${String(e)}`));
    await stopChildren().catch(() => undefined);
    await closeDb?.().catch(() => undefined);
    await database?.stop().catch((e: unknown) => log(`PostgreSQL did not stop cleanly: ${String(e)}`));
  })();
  return cleaning;
}

async function bench(options: BenchOptions): Promise<number> {
  const loadAtStart = os.loadavg();
  const dataDir = await makeTempDataDir();
  database = await startEmbeddedPostgres({ dataDir, persistent: false });
  // As `npm start` on its embedded database: the app, the ledger-direct baseline and the
  // plain-SQL yardstick all connect over the Unix socket (--tcp: over 127.0.0.1).
  const connection = options.tcp ? database.url : (database.socketUrl ?? database.url);
  log(`embedded PostgreSQL on port ${database.port} (throwaway data directory), connected over ${connection === database.url ? "TCP" : "its Unix socket"}`);
  // lib/env reads these once, on first use: set them before anything imports lib/db.
  process.env.DATABASE_URL = connection;
  process.env.DATABASE_POOL_SIZE = String(options.poolSize);
  await migrate(database.url);

  const stale = await buildStaleness();
  if (stale && options.build) {
    log(`building the app (${stale})`);
    await buildApp(buildEnv(database.url), log);
  } else if (stale) {
    log(`WARNING: --no-build while ${stale}`);
  }
  app = await startApp({ databaseUrl: connection, poolSize: options.poolSize, cpuProfDir: options.appCpuProf });
  log(`app server (server/main.ts) on ${app.url} (DATABASE_POOL_SIZE ${options.poolSize})`);

  const db = await import("@/lib/db");
  closeDb = db.closeDb;
  const ledgerModule = await import("@/lib/ledger");
  await import("@/lib/webhooks/ledger-outbox"); // the listener every process running ledger batches registers
  const ledger = { pool: db.pool, readWallet: ledgerModule.readWallet, verifyLedger: ledgerModule.verifyLedger, charge: ledgerModule.charge };

  const fixtures = await createFixtures(app.url, options.customers, log);
  const sqlFixtures = await createSqlFixtures(db.pool(), fixtures.platformId, options.customers);
  const ctx: RoundContext = {
    options, fixtures, appUrl: app.url, ledger, directCharged: new Map(), sqlFixtures, sqlCharged: new Map(), failures: [], cpu: cpuProbe(app.pid, dataDir), log,
  };

  // Warm-up: JIT, prepared statements, route modules; not measured (own customers for HTTP).
  log(`warming up for ${2 * WARMUP_SECONDS + 1} s`);
  const warm = { url: app.url, apiKey: fixtures.apiKey, log, costs: options.costs };
  if (options.costs) log(`--costs: every HTTP event carries one vendor cost`);
  await httpBatched({ ...warm, tag: "wa" }, fixtures.warmup, options.eventsPerRequest, options.batchConnections, WARMUP_SECONDS);
  await httpHot({ ...warm, tag: "wb" }, fixtures.warmup[0]!, options.hotConnections, WARMUP_SECONDS);
  await directBatched({ charge: ledger.charge, charged: ctx.directCharged, tag: "wd" }, fixtures.directCustomers, options.eventsPerRequest, options.batchConnections, 1);

  const runs: RunFigures[] = [];
  const holdPairs: HoldPairs[] = [];
  const holdCtx = {
    options, appUrl: app.url, apiKey: fixtures.apiKey, platformId: fixtures.platformId, customers: fixtures.httpCustomers,
    directCustomers: fixtures.directCustomers, directCharged: ctx.directCharged, ledger, failures: ctx.failures, log,
  };
  for (let run = 1; run <= options.runs; run++) {
    runs.push(await runRound(ctx, run));
    holdPairs.push(await holdPhase(holdCtx, `r${run}hd`));
  }

  // The warm-up wallets too (answers may still have been in flight when the warm-up stopped).
  await new Promise((r) => setTimeout(r, 1000));
  const warmFailures = await checkWallets(ledger, fixtures.warmup, await billedEvents(db.pool(), fixtures.warmup));
  ctx.failures.push(...warmFailures.map((f) => `warm-up: ${f}`));

  const summary = summarize(runs);
  console.log("");
  const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(" ");
  console.log(`Drawdown benchmark, ${new Date().toISOString()}: ${os.cpus().length} CPU(s), Node ${process.version}, ` +
    `PostgreSQL 18 (embedded, fsync off), DATABASE_POOL_SIZE ${options.poolSize}, load generator on the same machine; ` +
    `load average at start ${load(loadAtStart)}, at end ${load(os.loadavg())}`);
  console.log(renderReport(options, runs, summary));
  console.log("\n" + renderHoldPhase(holdPairs, options.batchConnections));
  if (fixtures.setup.fundingRetries) {
    console.log(`\nSetup: ${fixtures.setup.fundingRetries} funding adjustment(s) on distinct customers answered 500 or 503 (serialization failure after the ledger's retries, or no pooled connection in time) and were re-sent.`);
  }
  const clientErrors = summary.batched.errors + summary.hot.errors + summary.spread.errors + summary.bursts.errors + summary.paced.errors + holdPhaseErrors(holdPairs);
  console.log("");
  if (ctx.failures.length) {
    console.log(`CHECKS FAILED (${ctx.failures.length}):\n  ${ctx.failures.slice(0, 50).join("\n  ")}`);
  } else {
    console.log("Checks: every touched wallet's balance is exact (funding − charges × 0.001 USD) and verifyLedger found no violation.");
  }
  if (options.json) {
    await writeFile(options.json, JSON.stringify({ options, cpus: os.cpus().length, node: process.version, setup: fixtures.setup, runs, holdPairs, summary, failures: ctx.failures }, null, 2));
    log(`raw figures written to ${options.json}`);
  }
  return ctx.failures.length || clientErrors ? 1 : 0;
}

async function main(): Promise<number> {
  let options: BenchOptions | "help";
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    return 2;
  }
  if (options === "help") {
    console.log(usage);
    return 0;
  }
  // This process orders its own shutdown: Next.js first, then PostgreSQL.
  await detachLibrarySignalHandlers();
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping`);
      void cleanup().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
    });
  }
  try {
    return await bench(options);
  } catch (error) {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    if (app) console.error(`last lines of the app server:\n${app.logTail()}`);
    return 1;
  } finally {
    await cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
