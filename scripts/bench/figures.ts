/** What each phase measures; HTTP and ledger-direct phases fill the same shapes. */

import type { CpuShares } from "./cpu";

export interface ErrorCounts {
  /** HTTP answers other than 200 (direct: rejected charge() calls). */
  non200: number;
  /** Socket errors and timeouts seen by the load tool. */
  socketErrors: number;
  /** Events answered with a status other than `billed` (refused, duplicate, unbilled). */
  notBilled: number;
  /** HTTP status → count, and `refused:insufficient_funds`-style result counts. */
  detail: Record<string, number>;
}

export interface ThroughputFigure {
  /** Charges (billed events) completed. */
  ops: number;
  seconds: number;
  perSecond: number;
  errors: ErrorCounts;
  /** Cores used during the phase (null where /proc is unavailable). */
  cpu?: CpuShares | null;
}

export interface LatencyFigure {
  count: number;
  seconds: number;
  /** Requests (or charges) completed per second. */
  achievedRate: number;
  p50: number;
  p99: number;
  max: number;
  errors: ErrorCounts;
  cpu?: CpuShares | null;
}

/** Each phase three ways: over HTTP, calling the ledger directly, and the plain-SQL yardstick (sql-phases.ts). */
export interface RunFigures {
  batched: { http: ThroughputFigure; direct: ThroughputFigure; sql: ThroughputFigure };
  hot: { http: ThroughputFigure; direct: ThroughputFigure; sql: ThroughputFigure };
  /** (e) Single-event requests over the 1,000 customers, as fast as the connections go: one transaction per request. */
  spread: { http: ThroughputFigure; direct: ThroughputFigure; sql: ThroughputFigure };
  /** autocannon overallRate: every connection sends its share back to back at the start of each second. */
  latencyBursts: { http: LatencyFigure; direct: LatencyFigure; sql: LatencyFigure };
  /** One request every 1000/rate ms, open loop, latency from the scheduled send time. */
  latencyPaced: { http: LatencyFigure; direct: LatencyFigure; sql: LatencyFigure };
}

export function noErrors(): ErrorCounts {
  return { non200: 0, socketErrors: 0, notBilled: 0, detail: {} };
}

export function countError(errors: ErrorCounts, key: string): void {
  errors.detail[key] = (errors.detail[key] ?? 0) + 1;
}

export function totalErrors(e: ErrorCounts): number {
  return e.non200 + e.socketErrors + e.notBilled;
}
