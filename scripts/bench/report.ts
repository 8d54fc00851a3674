import os from "node:os";
import type { CpuShares } from "./cpu";
import type { BenchOptions } from "./options";
import { totalErrors, type ErrorCounts, type LatencyFigure, type RunFigures, type ThroughputFigure } from "./figures";
import { formatMs, formatNumber, formatRatio, median } from "./stats";

/**
 * The printed table: medians over the runs, each HTTP figure beside its ledger-direct baseline
 * and the plain-SQL yardstick (what PostgreSQL alone does for the same debits), with the
 * ratios between them.
 */

/** Issue 19's targets (docs/benchmarks.md): what "met" means in the table. */
export const TARGETS = { batchedEventsPerSecond: 20_000, hotChargesPerSecond: 3000, spreadEventsPerSecond: 2500, p99Ms: 25 } as const;

export interface LatencySummary {
  httpP50: number;
  httpP99: number;
  directP50: number;
  directP99: number;
  sqlP50: number;
  sqlP99: number;
  /** Requests (charges) per second actually completed. */
  httpRate: number;
  directRate: number;
  sqlRate: number;
  errors: number;
}

export interface Summary {
  batched: { http: number; direct: number; sql: number; errors: number };
  hot: { http: number; direct: number; sql: number; errors: number };
  spread: { http: number; direct: number; sql: number; errors: number };
  bursts: LatencySummary;
  paced: LatencySummary;
  targets: { batched: boolean; hot: boolean; spread: boolean; latency: boolean };
}

const sumErrors = (figures: { errors: ErrorCounts }[]) => figures.reduce((n, f) => n + totalErrors(f.errors), 0);
const med = <T>(runs: T[], pick: (r: T) => number) => median(runs.map(pick));

export function summarize(runs: RunFigures[]): Summary {
  const thr = (pick: (r: RunFigures) => { http: ThroughputFigure; direct: ThroughputFigure; sql: ThroughputFigure }) => ({
    http: med(runs, (r) => pick(r).http.perSecond),
    direct: med(runs, (r) => pick(r).direct.perSecond),
    sql: med(runs, (r) => pick(r).sql.perSecond),
    errors: sumErrors(runs.flatMap((r) => [pick(r).http, pick(r).direct, pick(r).sql])),
  });
  const lat = (pick: (r: RunFigures) => { http: LatencyFigure; direct: LatencyFigure; sql: LatencyFigure }) => ({
    httpP50: med(runs, (r) => pick(r).http.p50),
    httpP99: med(runs, (r) => pick(r).http.p99),
    directP50: med(runs, (r) => pick(r).direct.p50),
    directP99: med(runs, (r) => pick(r).direct.p99),
    sqlP50: med(runs, (r) => pick(r).sql.p50),
    sqlP99: med(runs, (r) => pick(r).sql.p99),
    httpRate: med(runs, (r) => pick(r).http.achievedRate),
    directRate: med(runs, (r) => pick(r).direct.achievedRate),
    sqlRate: med(runs, (r) => pick(r).sql.achievedRate),
    errors: sumErrors(runs.flatMap((r) => [pick(r).http, pick(r).direct, pick(r).sql])),
  });
  const batched = thr((r) => r.batched);
  const hot = thr((r) => r.hot);
  const spread = thr((r) => r.spread);
  const bursts = lat((r) => r.latencyBursts);
  const paced = lat((r) => r.latencyPaced);
  return {
    batched,
    hot,
    spread,
    bursts,
    paced,
    targets: {
      batched: batched.http >= TARGETS.batchedEventsPerSecond && batched.errors === 0,
      hot: hot.http >= TARGETS.hotChargesPerSecond && hot.errors === 0,
      spread: spread.http >= TARGETS.spreadEventsPerSecond && spread.errors === 0,
      latency: bursts.httpP99 < TARGETS.p99Ms && paced.httpP99 < TARGETS.p99Ms && bursts.errors + paced.errors === 0,
    },
  };
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n");
}

const cpuCount = () => os.cpus().length;

const verdict = (ok: boolean) => (ok ? "met" : "MISSED");

function errorLine(label: string, runs: RunFigures[], pick: (r: RunFigures) => { errors: ErrorCounts }[]): string {
  const all = runs.flatMap(pick).map((f) => f.errors);
  const detail: Record<string, number> = {};
  for (const e of all) for (const [k, v] of Object.entries(e.detail)) detail[k] = (detail[k] ?? 0) + v;
  const n = (k: "non200" | "notBilled" | "socketErrors") => all.reduce((sum, e) => sum + e[k], 0);
  const extra = Object.keys(detail).length ? ` [${Object.entries(detail).map(([k, v]) => `${k}: ${v}`).join(", ")}]` : "";
  return `${label}: non-200 ${n("non200")}, not billed (refused/duplicate/unbilled) ${n("notBilled")}, socket errors/timeouts ${n("socketErrors")}${extra}`;
}

/** A throughput phase's row: the HTTP figure beside its baselines, their ratios, the target and whether it was met. */
function throughputRow(label: string, httpUnit: string, f: { http: number; direct: number; sql: number }, target: string, met: boolean): string[] {
  return [
    label,
    `${formatNumber(f.http)} ${httpUnit}`,
    `${formatNumber(f.direct)} charges/s`,
    `${formatNumber(f.sql)} charges/s`,
    formatRatio(f.http / f.direct),
    formatRatio(f.http / f.sql),
    formatRatio(f.direct / f.sql),
    target,
    verdict(met),
  ];
}

export function renderReport(options: BenchOptions, runs: RunFigures[], summary: Summary): string {
  const s = summary;
  const t = TARGETS;
  const rows = [
    ["phase (median of " + runs.length + " run" + (runs.length > 1 ? "s" : "") + ", " + options.duration + " s each)", "HTTP POST /events", "ledger-direct", "plain SQL", "HTTP/direct", "HTTP/SQL", "direct/SQL", "target", ""],
    throughputRow(
      `(a) batched: ${options.eventsPerRequest} events/request${options.costs ? " with a cost each" : ""}, ${formatNumber(options.customers)} customers, ${options.batchConnections} conns`,
      "events/s",
      s.batched,
      `>= ${formatNumber(t.batchedEventsPerSecond)} events/s`,
      s.targets.batched,
    ),
    throughputRow(
      `(b) hot wallet: 1 customer, single-event requests, ${options.hotConnections} conns`,
      "charges/s",
      s.hot,
      `>= ${formatNumber(t.hotChargesPerSecond)}/s, 0 errors`,
      s.targets.hot,
    ),
    throughputRow(
      `(e) spread: single-event requests, ${formatNumber(options.customers)} customers, ${options.hotConnections} conns`,
      "events/s",
      s.spread,
      `>= ${formatNumber(t.spreadEventsPerSecond)}/s, 0 errors`,
      s.targets.spread,
    ),
    [
      `(c) ${options.rate} req/s (autocannon overallRate, ${options.rateConnections} conns) p50`,
      `${formatMs(s.bursts.httpP50)} (${formatNumber(s.bursts.httpRate)} req/s done)`,
      `${formatMs(s.bursts.directP50)} (${formatNumber(s.bursts.directRate)}/s done)`,
      `${formatMs(s.bursts.sqlP50)} (${formatNumber(s.bursts.sqlRate)}/s done)`,
      formatRatio(s.bursts.httpP50 / s.bursts.directP50),
      formatRatio(s.bursts.httpP50 / s.bursts.sqlP50),
      formatRatio(s.bursts.directP50 / s.bursts.sqlP50),
      "",
      "",
    ],
    [
      `                                                 p99`,
      formatMs(s.bursts.httpP99),
      formatMs(s.bursts.directP99),
      formatMs(s.bursts.sqlP99),
      formatRatio(s.bursts.httpP99 / s.bursts.directP99),
      formatRatio(s.bursts.httpP99 / s.bursts.sqlP99),
      formatRatio(s.bursts.directP99 / s.bursts.sqlP99),
      `p99 < ${t.p99Ms} ms`,
      verdict(s.bursts.httpP99 < t.p99Ms && s.bursts.errors === 0),
    ],
    [
      `(c') ${options.rate} req/s evenly paced (open loop)            p50`,
      `${formatMs(s.paced.httpP50)} (${formatNumber(s.paced.httpRate)} req/s done)`,
      `${formatMs(s.paced.directP50)} (${formatNumber(s.paced.directRate)}/s done)`,
      `${formatMs(s.paced.sqlP50)} (${formatNumber(s.paced.sqlRate)}/s done)`,
      formatRatio(s.paced.httpP50 / s.paced.directP50),
      formatRatio(s.paced.httpP50 / s.paced.sqlP50),
      formatRatio(s.paced.directP50 / s.paced.sqlP50),
      "",
      "",
    ],
    [
      `                                                 p99`,
      formatMs(s.paced.httpP99),
      formatMs(s.paced.directP99),
      formatMs(s.paced.sqlP99),
      formatRatio(s.paced.httpP99 / s.paced.directP99),
      formatRatio(s.paced.httpP99 / s.paced.sqlP99),
      formatRatio(s.paced.directP99 / s.paced.sqlP99),
      `p99 < ${t.p99Ms} ms`,
      verdict(s.paced.httpP99 < t.p99Ms && s.paced.errors === 0),
    ],
  ];
  const lines = [
    table(rows),
    "",
    "Errors returned to clients (all runs):",
    "  " + errorLine("(a) HTTP", runs, (r) => [r.batched.http]),
    "  " + errorLine("(b) HTTP", runs, (r) => [r.hot.http]),
    "  " + errorLine("(e) HTTP", runs, (r) => [r.spread.http]),
    "  " + errorLine("(c) HTTP", runs, (r) => [r.latencyBursts.http]),
    "  " + errorLine("(c') HTTP", runs, (r) => [r.latencyPaced.http]),
    "  " + errorLine("ledger-direct (rejected charge() calls count as non-200)", runs, (r) => [r.batched.direct, r.hot.direct, r.spread.direct, r.latencyBursts.direct, r.latencyPaced.direct]),
    "  " + errorLine("plain SQL (failed or refused statements count as non-200)", runs, (r) => [r.batched.sql, r.hot.sql, r.spread.sql, r.latencyBursts.sql, r.latencyPaced.sql]),
  ];
  lines.push(
    "",
    `CPU during the phases, in cores (median over runs; the machine has ${cpuCount()}): app = the app server, bench = load generator /`,
    "ledger-direct caller; 'waiting' = share of the phase the main thread was runnable but got no CPU (other load on the machine)",
  );
  const cpuRows: string[][] = [["phase", "app", "PostgreSQL", "bench", "app waiting", "bench waiting"]];
  const phases: [string, (r: RunFigures) => { cpu?: CpuShares | null }][] = [
    ["(a) HTTP", (r) => r.batched.http],
    ["(a) direct", (r) => r.batched.direct],
    ["(a) plain SQL", (r) => r.batched.sql],
    ["(b) HTTP", (r) => r.hot.http],
    ["(b) direct", (r) => r.hot.direct],
    ["(b) plain SQL", (r) => r.hot.sql],
    ["(e) HTTP", (r) => r.spread.http],
    ["(e) direct", (r) => r.spread.direct],
    ["(e) plain SQL", (r) => r.spread.sql],
    ["(c) HTTP", (r) => r.latencyBursts.http],
    ["(c) direct", (r) => r.latencyBursts.direct],
    ["(c) plain SQL", (r) => r.latencyBursts.sql],
    ["(c') HTTP", (r) => r.latencyPaced.http],
    ["(c') direct", (r) => r.latencyPaced.direct],
    ["(c') plain SQL", (r) => r.latencyPaced.sql],
  ];
  for (const [label, pick] of phases) {
    const shares = runs.map((r) => pick(r).cpu).filter((c): c is CpuShares => Boolean(c));
    if (shares.length === 0) continue;
    const m = (k: keyof CpuShares) => median(shares.map((c) => c[k])).toFixed(2);
    const pct = (k: keyof CpuShares) => `${Math.round(median(shares.map((c) => c[k])) * 100)}%`;
    cpuRows.push([label, m("app"), m("postgres"), m("bench"), pct("appWaiting"), pct("benchWaiting")]);
  }
  if (cpuRows.length > 1) lines.push(...table(cpuRows).split("\n").map((l) => "  " + l));
  if (runs.length > 1) {
    lines.push("", "Per run (HTTP / direct / plain SQL):");
    runs.forEach((r, i) =>
      lines.push(
        `  run ${i + 1}: (a) ${formatNumber(r.batched.http.perSecond)} / ${formatNumber(r.batched.direct.perSecond)} / ${formatNumber(r.batched.sql.perSecond)}` +
          `  (b) ${formatNumber(r.hot.http.perSecond)} / ${formatNumber(r.hot.direct.perSecond)} / ${formatNumber(r.hot.sql.perSecond)}` +
          `  (e) ${formatNumber(r.spread.http.perSecond)} / ${formatNumber(r.spread.direct.perSecond)} / ${formatNumber(r.spread.sql.perSecond)}` +
          `  (c) p50 ${formatMs(r.latencyBursts.http.p50)} / ${formatMs(r.latencyBursts.direct.p50)} / ${formatMs(r.latencyBursts.sql.p50)},` +
          ` p99 ${formatMs(r.latencyBursts.http.p99)} / ${formatMs(r.latencyBursts.direct.p99)} / ${formatMs(r.latencyBursts.sql.p99)}` +
          `  (c') p50 ${formatMs(r.latencyPaced.http.p50)} / ${formatMs(r.latencyPaced.direct.p50)} / ${formatMs(r.latencyPaced.sql.p50)},` +
          ` p99 ${formatMs(r.latencyPaced.http.p99)} / ${formatMs(r.latencyPaced.direct.p99)} / ${formatMs(r.latencyPaced.sql.p99)}`,
      ),
    );
  }
  return lines.join("\n");
}
