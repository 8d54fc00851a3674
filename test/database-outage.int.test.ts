import fs from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from "vitest";
import type { TestApiServer, apiClient as ApiClient } from "@/test/api-server";
import type { EmbeddedPostgresHandle } from "@/scripts/lib/embedded-pg";

/**
 * The database goes away and comes back, under the app's own route handlers over HTTP
 * (test/api-server.ts). This file runs its own throwaway PostgreSQL (the suite's is shared
 * and must stay up), so it can stop and restart it: while it is down, requests answer 503
 * `unavailable` problems with Retry-After, never 500 (lib/observability/database-unavailable.ts);
 * /api/health stays 200 and /api/ready turns 503; once it is back, requests succeed again,
 * and a stream of usage events sent across a fast restart by a retrying client is charged
 * exactly once per event.
 *
 * lib/ is imported only after DATABASE_URL points at this server (lib/env reads it once).
 */

type Api = ReturnType<typeof ApiClient>;

let dataDir: string;
let port: number;
let pgServer: EmbeddedPostgresHandle;
let server: TestApiServer;
let api: Api;
let baseUrl: string;
let customerId: string;
let apiKey: string;
let warnings: MockInstance<typeof console.warn>;
let lib: {
  embedded: typeof import("@/scripts/lib/embedded-pg");
  db: typeof import("@/lib/db");
  ledger: typeof import("@/lib/ledger");
  sdk: typeof import("@/sdk/src/index");
  stripe: typeof import("@/lib/top-ups/testing/stripe-harness");
};

async function startDatabase(): Promise<void> {
  pgServer = await lib.embedded.startEmbeddedPostgres({ dataDir, port, persistent: true });
}

beforeAll(async () => {
  // Each 503 logs a warning with its request id (checked below); the run stays quiet.
  warnings = vi.spyOn(console, "warn").mockImplementation(() => undefined);
  const embedded = await import("@/scripts/lib/embedded-pg");
  dataDir = await embedded.makeTempDataDir();
  port = await embedded.freePort();
  lib = { embedded } as typeof lib;
  await startDatabase();
  process.env.DATABASE_URL = pgServer.url;
  // No job worker in this process; /api/ready must not wait for one.
  process.env.JOBS_IN_PROCESS = "false";
  const [{ startTestApiServer, apiClient }, { createTestPlatform }, { unitPriceProduct }] = await Promise.all([
    import("@/test/api-server"),
    import("@/test/factories"),
    import("@/test/seed"),
  ]);
  lib.db = await import("@/lib/db");
  lib.ledger = await import("@/lib/ledger");
  lib.sdk = await import("@/sdk/src/index");
  lib.stripe = await import("@/lib/top-ups/testing/stripe-harness");
  server = await startTestApiServer();
  baseUrl = server.url;
  // A database without the schema: reachable, not ready.
  const unmigrated = await get("/api/ready");
  expect(unmigrated.status).toBe(503);
  expect(unmigrated.body).toMatchObject({ checks: { database: "ok", migrations: "pending", jobs: "elsewhere" } });
  const { migrate } = await import("@/scripts/db/migrate");
  await migrate(pgServer.url);
  const platform = await createTestPlatform("Outage");
  api = apiClient(server.url, platform.apiKey);
  const product = unitPriceProduct({ name: "Calls", code: "calls", priceName: "Call", eventType: "api_call", unitPrice: 0.01 });
  expect((await api("POST", "/products", product)).status).toBe(201);
  const customer = await api("POST", "/customers", { name: "Walter", subscriptions: [{ products: [{ code: "calls" }] }] });
  expect(customer.status).toBe(201);
  customerId = customer.body.id;
  // Charges may take the wallet below zero: the test counts them from the balance.
  expect((await api("PATCH", `/customers/${customerId}/wallet/default:USD`, { overdraft_limit: 1000 })).status).toBe(200);
  apiKey = platform.apiKey;
}, 120_000);

afterAll(async () => {
  await server?.close();
  await lib?.db?.closeDb();
  await pgServer?.stop();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
}, 60_000);

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${baseUrl}${path}`, { headers });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

function expectUnavailable(res: { status: number; headers: Headers; body: Record<string, unknown> }): void {
  expect(res.status).toBe(503);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  expect(res.body).toMatchObject({ type: "https://drawdown.dev/problems/unavailable", status: 503 });
  expect(res.body.request_id).toBe(res.headers.get("x-request-id"));
  // Says nothing of the cause: no host, port or driver message.
  expect(JSON.stringify(res.body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|terminat|postgres/i);
}

describe("PostgreSQL unreachable", () => {
  it("answers 503 unavailable with Retry-After while it is down, and serves again once it is back", async () => {
    expect((await api("GET", `/customers/${customerId}`)).status).toBe(200);
    expect((await get("/api/ready")).status).toBe(200);

    await pgServer.stop();

    // A key never seen by this process: its lookup needs the database.
    expectUnavailable(await get("/api/v1/customers", { authorization: "Bearer dd_test_0123456789abcdefghijklmnopqrstuv" }));
    // The platform's key is cached; reading a customer still needs the database.
    const read = await api("GET", `/customers/${customerId}`);
    expectUnavailable({ status: read.status, headers: read.headers, body: read.body });
    // A usage event: the ledger batch cannot connect.
    const charge = await api("POST", "/events", { customer_id: customerId, events: [{ id: "during-outage", event_type: "api_call", occurred_at: "2025-01-31T12:00:00Z" }] });
    expectUnavailable({ status: charge.status, headers: charge.headers, body: charge.body });
    // Through Prisma (the catalog).
    const products = await api("GET", "/products");
    expectUnavailable({ status: products.status, headers: products.headers, body: products.body });
    // Stripe's webhook: a 503 makes Stripe redeliver later.
    const webhook = lib.stripe.signedWebhookRequest({
      id: "evt_outage",
      object: "event",
      type: "checkout.session.completed",
      data: { object: { id: "cs_test_outage", object: "checkout.session", metadata: {} } },
    });
    const stripe = await fetch(`${baseUrl}/api/stripe/webhook`, { method: "POST", headers: webhook.headers, body: await webhook.text() });
    expectUnavailable({ status: stripe.status, headers: stripe.headers, body: (await stripe.json()) as Record<string, unknown> });
    // The log has the cause under the request id the client got.
    expect(warnings.mock.calls.map((c) => String(c[0])).join("\n")).toContain(String(read.body.request_id));

    expect(await get("/api/health")).toMatchObject({ status: 200, body: { status: "ok" } });
    const ready = await get("/api/ready");
    expect(ready.status).toBe(503);
    expect(ready.headers.get("retry-after")).toBeTruthy();
    expect(ready.body).toMatchObject({ type: "https://drawdown.dev/problems/not_ready", checks: { database: "unreachable" } });

    await startDatabase();

    expect((await api("GET", `/customers/${customerId}`)).status).toBe(200);
    expect((await api("GET", "/products")).status).toBe(200);
    const retried = await api("POST", "/events", { customer_id: customerId, events: [{ id: "during-outage", event_type: "api_call", occurred_at: "2025-01-31T12:00:00Z" }] });
    expect(retried.status).toBe(200);
    // Nothing was written while it was down: the retry is the first time the event is seen.
    expect(retried.body.results[0]).toMatchObject({ id: "during-outage", status: "billed" });
    expect(await get("/api/ready")).toMatchObject({ status: 200, body: { status: "ready", checks: { database: "ok", migrations: "current", jobs: "elsewhere" } } });
  }, 120_000);

  it("loses nothing and charges once when PostgreSQL restarts in the middle of a stream of events", async () => {
    const before = (await api("GET", `/customers/${customerId}/wallet/default:USD`)).body.available as number;
    const client = new lib.sdk.DrawdownClient({
      apiKey,
      baseUrl,
      retryDelayMs: 50,
      maxRetryDelayMs: 2_000,
      maxRetries: 30,
    });
    const count = 60;
    const statuses: string[] = [];
    let restart: Promise<void> | undefined;
    for (let i = 0; i < count; i++) {
      if (i === 20) restart = pgServer.stop().then(startDatabase);
      const { results } = await client.events.sendUsage({
        customerId,
        events: [{ id: `stream-${i}`, eventType: "api_call", occurredAt: "2025-01-31T12:00:00Z" }],
      });
      statuses.push(results[0]!.status);
    }
    await restart;
    // A retry after an answer lost with the connection finds the event stored: duplicate.
    expect(statuses.every((s) => s === "billed" || s === "duplicate")).toBe(true);
    const after = (await api("GET", `/customers/${customerId}/wallet/default:USD`)).body.available as number;
    expect(Math.round((before - after) * 100)).toBe(count);
    const events = await api("GET", `/events?customer_id=${customerId}&limit=100`);
    expect(events.body.items.filter((e: { id: string; status: string }) => e.id.startsWith("stream-") && e.status === "billed")).toHaveLength(count);
    expect(await lib.ledger.verifyLedger(customerId)).toEqual([]);
  }, 120_000);
});
