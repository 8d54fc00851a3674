import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/auth/api-keys";
import { setApiRateLimit } from "@/lib/api/rate-limit";
import { closeDb, pool } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { createTestPlatform } from "@/test/factories";
import { apiClient, startTestApiServer, type TestApiServer } from "@/test/api-server";
import { listApiRequests } from "./list-api-requests";
import { pruneApiRequests } from "./prune-api-requests";
import { flushRequestLog, pathOf, setRequestLogRetentionHours } from "./record-api-request";

/**
 * The request log through real HTTP: the API wrapper records each answered request of an
 * authenticated platform (errors with their problem code), the buffer is written in
 * batches, reads see only the tenant's platform and mode, and the prune keeps the
 * retention.
 */

let server: TestApiServer;
beforeAll(async () => {
  server = await startTestApiServer();
});
afterEach(() => {
  setRequestLogRetentionHours(undefined);
  setApiRateLimit(undefined);
});
afterAll(async () => {
  await server.close();
  await closeDb();
});

interface StoredRow {
  platform_id: string;
  live_mode: boolean;
  api_key_id: string;
  method: string;
  path: string;
  status: number;
  duration_ms: number;
  request_id: string;
  error_code: string | null;
}

async function storedRows(platformId: string): Promise<StoredRow[]> {
  const { rows } = await pool().query<StoredRow>(`SELECT * FROM api_requests WHERE platform_id = $1 ORDER BY id`, [platformId]);
  return rows;
}

describe("request log", () => {
  it("records answered requests (200, 201, 404, 422) with method, path, status, key, request id and problem code; never 401s, bodies or query strings", async () => {
    const p = await createTestPlatform("Logged Co");
    const api = apiClient(server.url, p.apiKey);
    const listed = await api("GET", "/customers?email=ada%40secret.example&limit=5");
    const created = await api("POST", "/customers", { name: "Ada Secretbody", email: "ada@secret.example" });
    const missing = await api("GET", "/customers/cust_doesnotexist");
    const invalid = await api("POST", "/customers", { name: 42 });
    expect([listed.status, created.status, missing.status, invalid.status]).toEqual([200, 201, 404, 422]);
    const unauthenticated = await fetch(`${server.url}/api/v1/customers?from=unauthenticated`);
    expect(unauthenticated.status).toBe(401);

    // Nothing is written by the request itself: the buffer waits for its tick (or a flush).
    await flushRequestLog();
    const rows = await storedRows(p.platformId);
    expect(rows.map((r) => [r.method, r.path, r.status, r.error_code])).toEqual([
      ["GET", "/api/v1/customers", 200, null],
      ["POST", "/api/v1/customers", 201, null],
      ["GET", "/api/v1/customers/cust_doesnotexist", 404, "not_found"],
      ["POST", "/api/v1/customers", 422, "validation_error"],
    ]);
    for (const row of rows) expect(row).toMatchObject({ live_mode: false, api_key_id: p.apiKeyId });
    expect(rows.map((r) => r.request_id)).toEqual([listed, created, missing, invalid].map((a) => a.headers.get("x-request-id")));
    expect(rows.every((r) => Number.isInteger(r.duration_ms) && r.duration_ms >= 0)).toBe(true);

    const { rows: leaks } = await pool().query(
      `SELECT count(*)::int AS n FROM api_requests a WHERE a.platform_id = $1 AND (row_to_json(a)::text ILIKE '%secret%' OR row_to_json(a)::text LIKE '%?%' OR row_to_json(a)::text LIKE $2)`,
      [p.platformId, `%${p.apiKey}%`],
    );
    expect(leaks[0].n).toBe(0);
    const { rows: unauth } = await pool().query(`SELECT count(*)::int AS n FROM api_requests WHERE request_id = $1`, [
      unauthenticated.headers.get("x-request-id"),
    ]);
    expect(unauth[0].n).toBe(0);
  });

  it("records a rate-limited request (429) of an authenticated key", async () => {
    const p = await createTestPlatform("Limited Co");
    const api = apiClient(server.url, p.apiKey);
    setApiRateLimit(1, 60);
    expect((await api("GET", "/customers")).status).toBe(200);
    expect((await api("GET", "/customers")).status).toBe(429);
    await flushRequestLog();
    expect((await storedRows(p.platformId)).map((r) => [r.status, r.error_code])).toEqual([
      [200, null],
      [429, "rate_limited"],
    ]);
  });

  it("reads only the tenant's platform and mode, filtered, newest first, a keyset page at a time", async () => {
    const a = await createTestPlatform("Tenant A");
    const b = await createTestPlatform("Tenant B");
    const live = await createApiKey(a.platformId, true);
    const apiA = apiClient(server.url, a.apiKey);
    await apiA("GET", "/customers");
    await apiA("GET", "/customers/cust_nope");
    await apiA("POST", "/customers", { name: "Grace" });
    await apiClient(server.url, live.key)("GET", "/customers");
    await apiClient(server.url, b.apiKey)("GET", "/customers");
    await flushRequestLog();

    const testA = { platformId: a.platformId, liveMode: false };
    const all = await listApiRequests(testA, {});
    expect(all.items.map((r) => [r.method, r.path, r.status])).toEqual([
      ["POST", "/api/v1/customers", 201],
      ["GET", "/api/v1/customers/cust_nope", 404],
      ["GET", "/api/v1/customers", 200],
    ]);
    expect(all.items[0]!.apiKey).toEqual({ id: a.apiKeyId, name: null, prefix: expect.stringMatching(/^dd_test_/) });
    expect(all.nextBefore).toBeNull();

    const liveA = await listApiRequests({ platformId: a.platformId, liveMode: true }, {});
    expect(liveA.items.map((r) => [r.path, r.apiKey?.id])).toEqual([["/api/v1/customers", live.id]]);
    const onlyB = await listApiRequests({ platformId: b.platformId, liveMode: false }, {});
    expect(onlyB.items.map((r) => r.apiKey?.id)).toEqual([b.apiKeyId]);
    // Another platform's key, or another platform's row as the cursor, finds nothing of theirs.
    await expect(listApiRequests({ platformId: b.platformId, liveMode: false }, { apiKeyId: a.apiKeyId })).rejects.toThrow(NotFoundError);
    await expect(listApiRequests(testA, { apiKeyId: live.id })).rejects.toThrow(NotFoundError);
    expect((await listApiRequests({ platformId: b.platformId, liveMode: false }, { before: all.items[0]!.id })).items).toEqual([]);

    expect((await listApiRequests(testA, { statusClass: "4xx" })).items.map((r) => r.status)).toEqual([404]);
    expect((await listApiRequests(testA, { statusClass: "2xx", method: "get" })).items.map((r) => r.status)).toEqual([200]);
    expect((await listApiRequests(testA, { pathContains: "CUST_" })).items.map((r) => r.status)).toEqual([404]);
    expect((await listApiRequests(testA, { pathContains: "%" })).items).toEqual([]);
    expect((await listApiRequests(testA, { apiKeyId: a.apiKeyId })).items).toHaveLength(3);

    const first = await listApiRequests(testA, {}, 2);
    expect(first.items.map((r) => r.status)).toEqual([201, 404]);
    const second = await listApiRequests(testA, { before: first.nextBefore! }, 2);
    expect(second.items.map((r) => r.status)).toEqual([200]);
    expect(second.nextBefore).toBeNull();
  });

  it("records nothing when the retention is 0", async () => {
    const p = await createTestPlatform("Unlogged Co");
    setRequestLogRetentionHours(0);
    expect((await apiClient(server.url, p.apiKey)("GET", "/customers")).status).toBe(200);
    await flushRequestLog();
    expect(await storedRows(p.platformId)).toEqual([]);
  });

  it("prunes only rows older than the retention", async () => {
    const p = await createTestPlatform("Pruned Co");
    await pool().query(
      `INSERT INTO api_requests (platform_id, live_mode, api_key_id, method, path, status, duration_ms, request_id, created_at)
       SELECT $1, false, $2, 'GET', '/api/v1/customers', 200, 1, 'req_' || g, now() - make_interval(hours => g)
         FROM unnest(ARRAY[1, 71, 73, 500]) AS g`,
      [p.platformId, p.apiKeyId],
    );
    expect(await pruneApiRequests(72)).toBeGreaterThanOrEqual(2);
    expect((await storedRows(p.platformId)).map((r) => r.request_id)).toEqual(["req_1", "req_71"]);
  });
});

describe("pathOf", () => {
  it("keeps the path only", () => {
    expect(pathOf("http://127.0.0.1:3000/api/v1/customers?email=a@b.c#x")).toBe("/api/v1/customers");
    expect(pathOf("https://h/api/v1/customers/cust_1#frag")).toBe("/api/v1/customers/cust_1");
    expect(pathOf("/api/v1/events")).toBe("/api/v1/events");
    expect(pathOf("http://h")).toBe("/");
  });
});
