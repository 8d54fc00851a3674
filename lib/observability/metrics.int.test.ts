import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/lib/db";
import { metrics } from "@/lib/observability/metrics";
import { startMetricsServer, startMetricsServerFromEnv, type MetricsServer } from "@/lib/observability/metrics-server";
import { apiClient, startTestApiServer, type TestApiServer } from "@/test/api-server";
import { createTestPlatform } from "@/test/factories";
import { unitPriceProduct } from "@/test/seed";

/**
 * The Prometheus endpoint: off unless METRICS_PORT is set (nothing listens, nothing is
 * counted), and once on, on a port of its own, the request histogram by route pattern
 * (never a raw path with an id) and status, ledger batch sizes, webhook and job backlogs.
 */
let server: TestApiServer;
let api: ReturnType<typeof apiClient>;
let metricsServer: MetricsServer | undefined;

beforeAll(async () => {
  server = await startTestApiServer();
  api = apiClient(server.url, (await createTestPlatform("Metrics")).apiKey);
});
afterAll(async () => {
  await metricsServer?.close();
  await server.close();
  await closeDb();
});

async function newCustomer(): Promise<string> {
  const res = await api("POST", "/customers", { name: "Walter", subscriptions: [{ products: [{ code: "calls" }] }] });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

describe("metrics", () => {
  it("are off by default: no server without METRICS_PORT, and requests count nothing", async () => {
    expect(process.env.METRICS_PORT).toBeUndefined();
    expect(await startMetricsServerFromEnv()).toBeUndefined();
    expect((await api("POST", "/products", unitPriceProduct({ name: "Calls", code: "calls", priceName: "Call", eventType: "api_call", unitPrice: 1 }))).status).toBe(201);
    await newCustomer();
    expect(metrics()).toBeUndefined();
  });

  it("once on, count requests by route pattern and status, ledger batches and backlogs, on their own port", async () => {
    metricsServer = await startMetricsServer(0, "127.0.0.1");
    expect(metricsServer.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const customerId = await newCustomer();
    expect((await api("GET", `/customers/${customerId}`)).status).toBe(200);
    expect((await api("GET", `/customers/${customerId}`)).status).toBe(200);
    expect((await api("GET", "/customers/cust_00000000000000000000000000")).status).toBe(404);
    const events = [{ id: "m-1", event_type: "api_call", occurred_at: "2025-01-31T12:00:00Z" }];
    expect((await api("POST", "/events", { customer_id: customerId, events })).status).toBe(200);
    expect((await fetch(`${server.url}/api/v1/no/such/path`)).status).toBe(404);

    const res = await fetch(metricsServer.url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    const sample = (name: string) => Number(new RegExp(`^${name.replace(/[[\]{}.()+]/g, "\\$&")} (\\S+)$`, "m").exec(text)?.[1]);
    expect(sample('drawdown_http_request_duration_seconds_count{route="/api/v1/customers/[id]",method="GET",status="200"}')).toBe(2);
    expect(sample('drawdown_http_request_duration_seconds_count{route="/api/v1/customers/[id]",method="GET",status="404"}')).toBe(1);
    expect(sample('drawdown_http_request_duration_seconds_count{route="/api/v1/customers",method="POST",status="201"}')).toBe(1);
    expect(sample('drawdown_http_request_duration_seconds_count{route="/api/v1/[...unknown]",method="GET",status="404"}')).toBe(1);
    expect(sample("drawdown_ledger_batch_jobs_count")).toBeGreaterThanOrEqual(1);
    expect(sample('drawdown_webhook_deliveries{status="pending"}')).toBeGreaterThanOrEqual(0);
    expect(text).toContain("drawdown_ledger_batch_retries_total");
    expect(text).toContain("drawdown_ledger_group_customers");
    expect(text).toContain("drawdown_ledger_group_splits_total");
    expect(text).toContain("drawdown_unavailable_responses_total");
    expect(text).toContain("drawdown_job_queue_depth");
    expect(text).toContain("drawdown_process_cpu_seconds_total");
    // Route patterns, never raw paths: no id is a label.
    expect(text).not.toContain(customerId);

    expect((await fetch(metricsServer.url.replace("/metrics", "/other"))).status).toBe(404);
  });
});
