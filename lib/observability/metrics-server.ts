import http from "node:http";
import type { AddressInfo } from "node:net";
import client from "prom-client";
import { pool } from "@/lib/db";
import { env } from "@/lib/env";
import type { Metrics } from "./metrics";

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/** The metrics server when METRICS_PORT is set; otherwise nothing, and no metrics are kept. */
export async function startMetricsServerFromEnv(): Promise<MetricsServer | undefined> {
  const { METRICS_PORT, METRICS_HOST } = env();
  return METRICS_PORT ? startMetricsServer(METRICS_PORT, METRICS_HOST) : undefined;
}

/**
 * Serves the Prometheus text format at `GET /metrics` on a port of its own (METRICS_PORT,
 * bound to METRICS_HOST, loopback by default), apart from the app's port, so the
 * endpoint is never exposed with the API and needs no authentication of its own. Starting
 * it is what turns the metrics on (lib/observability/metrics.ts).
 */
export async function startMetricsServer(port: number, host: string): Promise<MetricsServer> {
  const { registry } = enableMetrics();
  const server = http.createServer((req, res) => {
    const pathname = (req.url ?? "/").split("?")[0];
    if (pathname !== "/metrics" || (req.method !== "GET" && req.method !== "HEAD")) {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("Not found: the metrics are at GET /metrics\n");
      return;
    }
    registry.metrics().then(
      (text) => {
        res.writeHead(200, { "Content-Type": registry.contentType, "Cache-Control": "no-store" });
        res.end(req.method === "HEAD" ? undefined : text);
      },
      () => res.writeHead(500, { "Content-Type": "text/plain" }).end("metrics collection failed\n"),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Creates the registry and its metrics (once per process); the metrics server calls it. */
export function enableMetrics(): Metrics {
  const globalForMetrics = globalThis as unknown as { __drawdownMetrics?: Metrics };
  globalForMetrics.__drawdownMetrics ??= createMetrics();
  return globalForMetrics.__drawdownMetrics;
}

function createMetrics(): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: "drawdown_" });
  const m: Metrics = {
    registry,
    httpRequestDuration: new client.Histogram({
      name: "drawdown_http_request_duration_seconds",
      help: "Time to answer an HTTP request, by route pattern (routes outside /api/v1: next), method and status.",
      labelNames: ["route", "method", "status"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers: [registry],
    }),
    ledgerBatchSize: new client.Histogram({
      name: "drawdown_ledger_batch_jobs",
      help: "Ledger operations of one customer committed together in one batch (its transaction may hold other customers' batches too).",
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2000],
      registers: [registry],
    }),
    ledgerBatchRetries: new client.Counter({
      name: "drawdown_ledger_batch_retries_total",
      help: "Ledger batches rerun from a fresh load: serialization failure (40001), deadlock (40P01), racing insert (23505).",
      labelNames: ["reason"],
      registers: [registry],
    }),
    ledgerGroupSize: new client.Histogram({
      name: "drawdown_ledger_group_customers",
      help: "Customers whose ledger batches were committed together in one transaction (group commit), per transaction of two or more.",
      buckets: [2, 4, 8, 16, 32, 64, 128, 256],
      registers: [registry],
    }),
    ledgerGroupSplits: new client.Counter({
      name: "drawdown_ledger_group_splits_total",
      help: "Shared ledger transactions given up and rerun customer by customer, by the error's SQLSTATE (or `error`).",
      labelNames: ["reason"],
      registers: [registry],
    }),
    unavailableResponses: new client.Counter({
      name: "drawdown_unavailable_responses_total",
      help: "503 answers: unavailable (database unreachable or no connection in time), busy (ledger retries exhausted).",
      labelNames: ["code"],
      registers: [registry],
    }),
  };
  new client.Gauge({
    name: "drawdown_webhook_deliveries",
    help: "Outbound webhook deliveries by status: pending (the backlog, retries included) and failed (gave up after every attempt).",
    labelNames: ["status"],
    registers: [registry],
    async collect() {
      const rows = await scrapeQuery<{ status: string; n: string }>(
        "SELECT status, count(*)::text AS n FROM webhook_deliveries WHERE status IN ('pending', 'failed') GROUP BY status",
      );
      this.reset();
      for (const status of ["pending", "failed"]) this.set({ status }, Number(rows?.find((r) => r.status === status)?.n ?? 0));
    },
  });
  new client.Gauge({
    name: "drawdown_job_queue_depth",
    help: "Background jobs (graphile-worker) queued or running, due or not.",
    registers: [registry],
    async collect() {
      const rows = await scrapeQuery<{ n: string }>("SELECT count(*)::text AS n FROM graphile_worker._private_jobs");
      if (rows) this.set(Number(rows[0]?.n ?? 0));
    },
  });
  return m;
}

/**
 * A query run at scrape time (a handful per scrape, never per request). A database that
 * cannot answer leaves the gauge at its last value rather than failing the whole scrape,
 * whose other metrics matter most precisely then.
 */
async function scrapeQuery<R>(sql: string): Promise<R[] | undefined> {
  try {
    return (await pool().query<R & object>(sql)).rows;
  } catch {
    return undefined;
  }
}
