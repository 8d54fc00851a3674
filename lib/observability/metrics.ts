import type { ServerResponse } from "node:http";
import type client from "prom-client";

/**
 * Prometheus metrics, off unless the production server is started with METRICS_PORT
 * (lib/observability/metrics-server.ts creates them): until then `metrics()` is undefined
 * and every hook is one property read, so the hot path pays nothing. This module only
 * imports prom-client's types, so the code that feeds the metrics (Next.js's bundle
 * included) never loads prom-client itself.
 *
 * Kept on globalThis: the production server's own code (server/, from source) times
 * Next.js's answers while the build's copy of lib/ feeds the ledger's metrics, and pages
 * and the job worker have copies of their own (docs/ARCHITECTURE.md "The production
 * server"): all must feed the same registry. Labels are bounded: route *patterns*
 * (`/api/v1/customers/[id]`), never raw paths, so no id ever becomes a label.
 */
export interface Metrics {
  registry: client.Registry;
  /** One observation per answered request: its count is the request counter. */
  httpRequestDuration: client.Histogram<"route" | "method" | "status">;
  ledgerBatchSize: client.Histogram;
  ledgerBatchRetries: client.Counter<"reason">;
  ledgerGroupSize: client.Histogram;
  ledgerGroupSplits: client.Counter<"reason">;
  unavailableResponses: client.Counter<"code">;
}

const globalForMetrics = globalThis as unknown as { __drawdownMetrics?: Metrics };

export function metrics(): Metrics | undefined {
  return globalForMetrics.__drawdownMetrics;
}

/** Records one answered request; the route is its pattern, never the raw path. */
export function observeRequest(route: string, method: string, status: number, seconds: number): void {
  metrics()?.httpRequestDuration.observe({ route, method, status: String(status) }, seconds);
}

/**
 * Times `res` from now until it is sent and records it under `route` (a pattern). Nothing
 * at all while metrics are off.
 */
export function timeResponse(res: ServerResponse, route: string, method: string): void {
  if (!metrics()) return;
  const started = performance.now();
  res.once("finish", () => observeRequest(route, method, res.statusCode, (performance.now() - started) / 1000));
}
