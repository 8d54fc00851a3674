import http from "node:http";
import { billedEvents, checkWallets, settlePhase, type LedgerDeps } from "./checks";
import { ASSET, EVENT_TYPE, UNIT_PRICE, type BenchCustomer } from "./fixtures";
import { countError, noErrors, totalErrors, type LatencyFigure, type ThroughputFigure } from "./figures";
import { post, type HttpContext } from "./http-phases";
import { latencyFigure } from "./pacing";
import { formatMs, formatNumber, median } from "./stats";

/**
 * (d) Hold + capture pairs over HTTP: each of `connections` closed loops creates a hold of
 * HOLD_UNITS × UNIT_PRICE for a customer (`POST /customers/{id}/wallet/holds`), then
 * captures it with one `api_call` event (`POST …/holds/{hold_id}/capture`: UNIT_PRICE
 * charged from the hold, the rest released), customers in turn. A pair counts when the
 * hold answered 201 and the capture billed its event; the latency is the pair's (two
 * requests, two ledger batches). Event ids are `${tag}-${n}`, so checks.ts finds them.
 */

/** A hold covers this many events; the capture uses one (the rest is released). */
export const HOLD_UNITS = 10;

const PAIR_SOCKETS = 64;

export type HoldPairsFigure = ThroughputFigure & Pick<LatencyFigure, "p50" | "p99" | "max">;

/** One run of phase (d): over HTTP and its baseline without HTTP. */
export interface HoldPairs {
  http: HoldPairsFigure;
  direct: HoldPairsFigure;
}

export async function httpHoldPairs(ctx: HttpContext, customers: BenchCustomer[], connections: number, seconds: number): Promise<HoldPairsFigure> {
  const errors = noErrors();
  const agent = new http.Agent({ keepAlive: true, maxSockets: Math.min(connections, PAIR_SOCKETS) });
  const latencies: number[] = [];
  const holdBody = { amount: UNIT_PRICE.times(HOLD_UNITS).toNumber(), asset: ASSET, ttl_seconds: 300 };
  let seq = 0;
  let next = 0;
  const fail = (key: string, status: number, text: string) => {
    errors.non200++;
    countError(errors, key);
    if (errors.non200 <= 3) ctx.log(`${key} answer ${status}: ${text.slice(0, 300)}`);
  };

  const pair = async (): Promise<void> => {
    const customer = customers[next++ % customers.length]!;
    const id = `${ctx.tag}-${seq++}`;
    const base = new URL(`/api/v1/customers/${customer.id}/wallet/holds`, ctx.url);
    const started = performance.now();
    const created = await post(agent, base, ctx.apiKey, JSON.stringify({ id, ...holdBody }));
    if (created.status !== 201) return fail(`hold_${created.status}`, created.status, created.text);
    const holdId = (JSON.parse(created.text) as { id: string }).id;
    const event = { id, event_type: EVENT_TYPE, occurred_at: new Date().toISOString() };
    const captured = await post(agent, new URL(`${base.pathname}/${holdId}/capture`, ctx.url), ctx.apiKey, JSON.stringify({ events: [event] }));
    if (captured.status !== 200) return fail(`capture_${captured.status}`, captured.status, captured.text);
    const { results } = JSON.parse(captured.text) as { results: { status: string; reason?: string }[] };
    if (results[0]?.status !== "billed") {
      errors.notBilled++;
      countError(errors, `capture:${results[0]?.status ?? "none"}${results[0]?.reason ? `:${results[0].reason}` : ""}`);
      return;
    }
    latencies.push(performance.now() - started);
  };

  const started = performance.now();
  const deadline = started + seconds * 1000;
  try {
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (performance.now() < deadline) {
          try {
            await pair();
          } catch (error) {
            errors.socketErrors++;
            countError(errors, `socket_error:${(error as { code?: string }).code ?? String(error)}`);
          }
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  const figure = latencyFigure(latencies, (performance.now() - started) / 1000, errors);
  return { ops: figure.count, seconds: figure.seconds, perSecond: figure.achievedRate, errors, p50: figure.p50, p99: figure.p99, max: figure.max };
}

/**
 * The same pairs without HTTP: `createHold` and `captureHold` of lib/holds called in this
 * process (no auth, routing, JSON or sockets; the same pricing, usage events and ledger
 * batches), so the HTTP figure can be read against what the domain itself does. On as
 * many customers as the HTTP run (the ledger-direct ones, 1,000 by default): it once ran
 * on the 16 warm-up customers, whose batches, 16 at a time on the same few wallets
 * already loaded by the warm-up, kept failing SERIALIZABLE and waiting out the retries'
 * backoff (72 pairs/s, p99 2.6 s, against 380 over HTTP on 1,000 customers). Measured
 * side by side in one process: 200–280 pairs/s, p99 0.75–1 s on those 16, 460–600 pairs/s,
 * p99 75–135 ms on 300 customers of their own. Each billed capture counts in `charged`
 * (one UNIT_PRICE), as the other ledger-direct phases count their charges.
 */
export async function directHoldPairs(
  platformId: string,
  customers: BenchCustomer[],
  charged: Map<string, number>,
  workers: number,
  seconds: number,
  tag: string,
): Promise<HoldPairsFigure> {
  const { createHold } = await import("@/lib/holds/create-hold");
  const { captureHold } = await import("@/lib/holds/capture-hold");
  const tenant = { platformId, liveMode: false };
  const errors = noErrors();
  const latencies: number[] = [];
  const amount = UNIT_PRICE.times(HOLD_UNITS);
  let seq = 0;
  let next = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < deadline) {
        const customer = customers[next++ % customers.length]!;
        const id = `${tag}-${seq++}`;
        const t0 = performance.now();
        try {
          const { hold } = await createHold(tenant, customer.id, { id, accountName: "default", amount, asset: ASSET, ttlSeconds: 300 });
          const { results } = await captureHold(tenant, customer.id, hold.id, [{ id, event_type: EVENT_TYPE, occurred_at: new Date() }]);
          if (results[0]?.status !== "billed") {
            errors.notBilled++;
            countError(errors, `capture:${results[0]?.status ?? "none"}`);
            continue;
          }
          charged.set(customer.id, (charged.get(customer.id) ?? 0) + 1);
          latencies.push(performance.now() - t0);
        } catch (error) {
          errors.non200++;
          countError(errors, String((error as { code?: unknown } | null)?.code ?? (error instanceof Error ? error.constructor.name : "error")));
        }
      }
    }),
  );
  const figure = latencyFigure(latencies, (performance.now() - started) / 1000, errors);
  return { ops: figure.count, seconds: figure.seconds, perSecond: figure.achievedRate, errors, p50: figure.p50, p99: figure.p99, max: figure.max };
}

/** What `holdPhase` needs of the round's context (a subset of round.ts's RoundContext). */
export interface HoldPhaseContext {
  options: { duration: number; batchConnections: number };
  appUrl: string;
  apiKey: string;
  platformId: string;
  /** Phase (d) over HTTP. */
  customers: BenchCustomer[];
  /** Its baseline without HTTP: the ledger-direct customers (as many as the HTTP ones). */
  directCustomers: BenchCustomer[];
  /** Their charges so far (the ledger-direct phases' count, which the pairs' captures add to). */
  directCharged: Map<string, number>;
  ledger: LedgerDeps;
  failures: string[];
  log: (line: string) => void;
}

/**
 * Phase (d) of one run, with its checks: every pair's event stored billed (the capture
 * answered for each; nothing left in flight, the loops wait for their answers), and every
 * wallet exact and verifyLedger clean afterwards, which also proves no hold was left
 * open (`available` is net of open holds).
 */
export async function holdPhase(ctx: HoldPhaseContext, tag: string): Promise<HoldPairs> {
  const { options: o, log } = ctx;
  log(`${tag}: (d) without HTTP (lib/holds), hold + capture pairs, ${o.batchConnections} workers`);
  const direct = await directHoldPairs(ctx.platformId, ctx.directCustomers, ctx.directCharged, o.batchConnections, o.duration, `${tag}d`);
  await checkPairs(ctx, `${tag}d`, direct, ctx.directCustomers, ctx.directCharged);
  log(`${tag}: (d) HTTP, hold + capture pairs, ${o.batchConnections} loops`);
  const http = await httpHoldPairs({ url: ctx.appUrl, apiKey: ctx.apiKey, tag: `${tag}h`, log }, ctx.customers, o.batchConnections, o.duration);
  await checkPairs(ctx, `${tag}h`, http, ctx.customers);
  log(`${tag}: (d) ${formatNumber(http.perSecond)} pairs/s over HTTP (p50/p99 ${formatMs(http.p50)}/${formatMs(http.p99)}), ` +
    `${formatNumber(direct.perSecond)} without (p50/p99 ${formatMs(direct.p50)}/${formatMs(direct.p99)})`);
  return { http, direct };
}

/**
 * `charges`: customer id → UNIT_PRICE charges in all, for the ledger-direct customers
 * (their other phases store no events); without it, the customers' billed events once the
 * phase settled (HTTP customers).
 */
async function checkPairs(ctx: HoldPhaseContext, tag: string, figure: HoldPairsFigure, customers: BenchCustomer[], charges?: Map<string, number>): Promise<void> {
  const pool = ctx.ledger.pool();
  const stored = await settlePhase(pool, tag);
  if (Object.keys(stored.other).length) ctx.failures.push(`${tag}: stored events not billed: ${JSON.stringify(stored.other)}`);
  if (stored.billed !== figure.ops) ctx.failures.push(`${tag}: ${figure.ops} captures answered billed, storage has ${stored.billed}`);
  const failures = await checkWallets(ctx.ledger, customers, charges ?? (await billedEvents(pool, customers)));
  ctx.failures.push(...failures.map((f) => `${tag}: ${f}`));
}

/** The report's lines for phase (d): medians over the runs. */
export function renderHoldPhase(runs: HoldPairs[], connections: number): string {
  const line = (label: string, figures: HoldPairsFigure[]) => {
    const med = (pick: (f: HoldPairsFigure) => number) => median(figures.map(pick));
    const errors = figures.reduce((n, f) => n + totalErrors(f.errors), 0);
    const detail: Record<string, number> = {};
    for (const f of figures) for (const [k, v] of Object.entries(f.errors.detail)) detail[k] = (detail[k] ?? 0) + v;
    const extra = Object.keys(detail).length ? ` [${Object.entries(detail).map(([k, v]) => `${k}: ${v}`).join(", ")}]` : "";
    return `    ${label}: ${formatNumber(med((f) => f.perSecond))} pairs/s; per pair p50 ${formatMs(med((f) => f.p50))}, p99 ${formatMs(med((f) => f.p99))}; errors ${errors}${extra}`;
  };
  return [
    `(d) hold + capture pairs (a hold of ${HOLD_UNITS} units, then a capture of one event; the rest released), ${connections} closed loops, median of ${runs.length} run${runs.length > 1 ? "s" : ""}:`,
    line("HTTP (POST …/wallet/holds, POST …/holds/{id}/capture)", runs.map((r) => r.http)),
    line("without HTTP (lib/holds createHold + captureHold)  ", runs.map((r) => r.direct)),
  ].join("\n");
}

/** Client errors of phase (d) over all runs (main exits 1 when any). */
export function holdPhaseErrors(runs: HoldPairs[]): number {
  return runs.reduce((n, r) => n + totalErrors(r.http.errors) + totalErrors(r.direct.errors), 0);
}
