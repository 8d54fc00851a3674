import { billedEvents, checkWallets, settlePhase, type LedgerDeps } from "./checks";
import type { CpuProbe, CpuShares } from "./cpu";
import { directBatched, directBursts, directHot, directPaced, type DirectContext } from "./direct-phases";
import type { RunFigures } from "./figures";
import type { BenchCustomer, Fixtures } from "./fixtures";
import { httpBatched, httpBursts, httpHot, httpPaced, type HttpContext } from "./http-phases";
import type { BenchOptions } from "./options";
import { checkSqlWallets, sqlBatched, sqlBursts, sqlHot, sqlPaced, type SqlContext, type SqlFixtures } from "./sql-phases";
import { formatMs, formatNumber } from "./stats";

/**
 * One measurement round: each scenario's plain-SQL yardstick and ledger-direct baseline,
 * then the same scenario over HTTP (adjacent in time, so the machine's noise hits all three
 * alike), each followed by the correctness checks of the wallets it touched. Check failures are collected, not
 * thrown, so a run still prints its figures; main exits non-zero when any were found.
 */

export interface RoundContext {
  options: BenchOptions;
  fixtures: Fixtures;
  appUrl: string;
  ledger: LedgerDeps & { charge: DirectContext["charge"] };
  /** Ledger-direct charges per customer, over all rounds. */
  directCharged: Map<string, number>;
  /** The plain-SQL yardstick's own customers, and its charges per customer over all rounds. */
  sqlFixtures: SqlFixtures;
  sqlCharged: Map<string, number>;
  failures: string[];
  cpu: CpuProbe;
  log: (line: string) => void;
}

const cpuText = (c: CpuShares | null | undefined) =>
  c
    ? ` [HTTP phase CPU: app ${c.app.toFixed(2)}, PostgreSQL ${c.postgres.toFixed(2)}, bench ${c.bench.toFixed(2)} cores;` +
      ` app thread waiting for a CPU ${Math.round(c.appWaiting * 100)}% of the time]`
    : "";

/** Runs a phase and attaches the CPU it used. */
async function measured<T extends { cpu?: CpuShares | null }>(ctx: RoundContext, phase: () => Promise<T>): Promise<T> {
  const stop = await ctx.cpu.start();
  const figure = await phase();
  figure.cpu = await stop();
  return figure;
}

function http(ctx: RoundContext, tag: string): HttpContext {
  return { url: ctx.appUrl, apiKey: ctx.fixtures.apiKey, tag, log: ctx.log, costs: ctx.options.costs };
}

function direct(ctx: RoundContext, tag: string): DirectContext {
  return { charge: ctx.ledger.charge, charged: ctx.directCharged, tag };
}

/**
 * After an HTTP phase: waits for requests autocannon abandoned at its deadline, checks the
 * stored events against the answers (every stored event billed; no answer claims a charge
 * storage lacks; at most one request per connection left unanswered), then the wallets.
 */
async function checkHttpPhase(ctx: RoundContext, tag: string, answeredBilled: number, maxUnanswered: number, customers: BenchCustomer[]): Promise<void> {
  const pool = ctx.ledger.pool();
  const stored = await settlePhase(pool, tag);
  if (Object.keys(stored.other).length) ctx.failures.push(`${tag}: stored events not billed: ${JSON.stringify(stored.other)}`);
  if (stored.billed < answeredBilled) ctx.failures.push(`${tag}: answers report ${answeredBilled} billed events, storage has ${stored.billed}`);
  if (stored.billed - answeredBilled > maxUnanswered) {
    ctx.failures.push(`${tag}: ${stored.billed - answeredBilled} billed events never answered (at most ${maxUnanswered} expected in flight at the deadline)`);
  }
  if (stored.billed > answeredBilled) ctx.log(`${tag}: ${stored.billed - answeredBilled} events were in flight when the load tool stopped (billed, not counted)`);
  await checkWalletsOf(ctx, tag, customers, await billedEvents(pool, customers));
}

function sql(ctx: RoundContext, tag: string): SqlContext {
  return { pool: ctx.ledger.pool(), charged: ctx.sqlCharged, tag };
}

async function checkSqlPhase(ctx: RoundContext, tag: string, customers: SqlFixtures["customers"]): Promise<void> {
  const failures = await checkSqlWallets(ctx.ledger.pool(), customers, ctx.sqlCharged);
  ctx.failures.push(...failures.map((f) => `${tag}: ${f}`));
  ctx.log(`${tag}: ${customers.length} plain-SQL wallet(s) ${failures.length ? `FAILED (${failures.length})` : "exact"}`);
}

async function checkWalletsOf(ctx: RoundContext, tag: string, customers: BenchCustomer[], charges: Map<string, number>): Promise<void> {
  const started = Date.now();
  const failures = await checkWallets(ctx.ledger, customers, charges);
  ctx.failures.push(...failures.map((f) => `${tag}: ${f}`));
  ctx.log(`${tag}: ${customers.length} wallet(s) ${failures.length ? `FAILED (${failures.length})` : "exact, verifyLedger clean"} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

export async function runRound(ctx: RoundContext, run: number): Promise<RunFigures> {
  const { options: o, fixtures: f, sqlFixtures: q, log } = ctx;
  const tag = (phase: string) => `r${run}${phase}`;

  log(`run ${run}: (a) plain SQL, batched`);
  const aSql = await measured(ctx, () => sqlBatched(sql(ctx, tag("as")), q.customers, o.eventsPerRequest, o.batchConnections, o.duration));
  await checkSqlPhase(ctx, tag("as"), q.customers);

  log(`run ${run}: (a) ledger-direct, batched`);
  const aDirect = await measured(ctx, () => directBatched(direct(ctx, tag("ad")), f.directCustomers, o.eventsPerRequest, o.batchConnections, o.duration));
  await checkWalletsOf(ctx, tag("ad"), f.directCustomers, ctx.directCharged);
  log(`run ${run}: (a) HTTP, batched`);
  const aHttp = await measured(ctx, () => httpBatched(http(ctx, tag("ah")), f.httpCustomers, o.eventsPerRequest, o.batchConnections, o.duration));
  await checkHttpPhase(ctx, tag("ah"), aHttp.ops, o.batchConnections * o.eventsPerRequest, f.httpCustomers);
  log(`run ${run}: (a) ${formatNumber(aHttp.perSecond)} events/s over HTTP, ${formatNumber(aDirect.perSecond)} charges/s direct, ${formatNumber(aSql.perSecond)} plain SQL${cpuText(aHttp.cpu)}`);

  log(`run ${run}: (b) plain SQL, hot wallet`);
  const bSql = await measured(ctx, () => sqlHot(sql(ctx, tag("bs")), q.hot, o.hotConnections, o.duration));
  await checkSqlPhase(ctx, tag("bs"), [q.hot]);

  log(`run ${run}: (b) ledger-direct, hot wallet`);
  const bDirect = await measured(ctx, () => directHot(direct(ctx, tag("bd")), f.directHot, o.hotConnections, o.duration));
  await checkWalletsOf(ctx, tag("bd"), [f.directHot], ctx.directCharged);
  log(`run ${run}: (b) HTTP, hot wallet`);
  const bHttp = await measured(ctx, () => httpHot(http(ctx, tag("bh")), f.httpHot, o.hotConnections, o.duration));
  await checkHttpPhase(ctx, tag("bh"), bHttp.ops, o.hotConnections, [f.httpHot]);
  log(`run ${run}: (b) ${formatNumber(bHttp.perSecond)} charges/s over HTTP, ${formatNumber(bDirect.perSecond)} direct, ${formatNumber(bSql.perSecond)} plain SQL${cpuText(bHttp.cpu)}`);

  log(`run ${run}: (e) plain SQL, single charges over ${formatNumber(q.customers.length)} customers`);
  const eSql = await measured(ctx, () => sqlBatched(sql(ctx, tag("es")), q.customers, 1, o.hotConnections, o.duration));
  await checkSqlPhase(ctx, tag("es"), q.customers);

  log(`run ${run}: (e) ledger-direct, single charges over ${formatNumber(f.directCustomers.length)} customers`);
  const eDirect = await measured(ctx, () => directBatched(direct(ctx, tag("ed")), f.directCustomers, 1, o.hotConnections, o.duration));
  await checkWalletsOf(ctx, tag("ed"), f.directCustomers, ctx.directCharged);
  log(`run ${run}: (e) HTTP, single-event requests over ${formatNumber(f.httpCustomers.length)} customers`);
  const eHttp = await measured(ctx, () => httpBatched(http(ctx, tag("eh")), f.httpCustomers, 1, o.hotConnections, o.duration));
  await checkHttpPhase(ctx, tag("eh"), eHttp.ops, o.hotConnections, f.httpCustomers);
  log(`run ${run}: (e) ${formatNumber(eHttp.perSecond)} events/s over HTTP, ${formatNumber(eDirect.perSecond)} charges/s direct, ${formatNumber(eSql.perSecond)} plain SQL${cpuText(eHttp.cpu)}`);

  log(`run ${run}: (c) plain SQL, ${o.rate}/s in per-second bursts`);
  const cSql = await measured(ctx, () => sqlBursts(sql(ctx, tag("cs")), q.customers, o.rate, o.rateConnections, o.duration));
  await checkSqlPhase(ctx, tag("cs"), q.customers);

  log(`run ${run}: (c) ledger-direct, ${o.rate}/s in per-second bursts`);
  const cDirect = await measured(ctx, () => directBursts(direct(ctx, tag("cd")), f.directCustomers, o.rate, o.rateConnections, o.duration));
  await checkWalletsOf(ctx, tag("cd"), f.directCustomers, ctx.directCharged);
  log(`run ${run}: (c) HTTP, autocannon overallRate ${o.rate}`);
  const cHttp = await measured(ctx, () => httpBursts(http(ctx, tag("ch")), f.httpCustomers, o.rate, o.rateConnections, o.duration));
  await checkHttpPhase(ctx, tag("ch"), cHttp.ops, o.rateConnections, f.httpCustomers);
  log(`run ${run}: (c) p50/p99 ${formatMs(cHttp.p50)}/${formatMs(cHttp.p99)} over HTTP, ${formatMs(cDirect.p50)}/${formatMs(cDirect.p99)} direct, ${formatMs(cSql.p50)}/${formatMs(cSql.p99)} plain SQL${cpuText(cHttp.cpu)}`);

  log(`run ${run}: (c') plain SQL, ${o.rate}/s evenly paced`);
  const pSql = await measured(ctx, () => sqlPaced(sql(ctx, tag("ps")), q.customers, o.rate, o.duration));
  await checkSqlPhase(ctx, tag("ps"), q.customers);

  log(`run ${run}: (c') ledger-direct, ${o.rate}/s evenly paced`);
  const pDirect = await measured(ctx, () => directPaced(direct(ctx, tag("pd")), f.directCustomers, o.rate, o.duration));
  await checkWalletsOf(ctx, tag("pd"), f.directCustomers, ctx.directCharged);
  log(`run ${run}: (c') HTTP, ${o.rate}/s evenly paced`);
  const pHttp = await measured(ctx, () => httpPaced(http(ctx, tag("ph")), f.httpCustomers, o.rate, o.duration));
  // The paced client waits for every answer: nothing may be left unanswered.
  await checkHttpPhase(ctx, tag("ph"), pHttp.ops, 0, f.httpCustomers);
  log(`run ${run}: (c') p50/p99 ${formatMs(pHttp.p50)}/${formatMs(pHttp.p99)} over HTTP, ${formatMs(pDirect.p50)}/${formatMs(pDirect.p99)} direct, ${formatMs(pSql.p50)}/${formatMs(pSql.p99)} plain SQL${cpuText(pHttp.cpu)}`);

  return {
    batched: { http: aHttp, direct: aDirect, sql: aSql },
    hot: { http: bHttp, direct: bDirect, sql: bSql },
    spread: { http: eHttp, direct: eDirect, sql: eSql },
    latencyBursts: { http: cHttp, direct: cDirect, sql: cSql },
    latencyPaced: { http: pHttp, direct: pDirect, sql: pSql },
  };
}
