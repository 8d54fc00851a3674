import { testOperation } from "@/test/test-operation";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { closeDb, pool, prisma } from "@/lib/db";
import { newId } from "@/lib/ids";
import { apiClient, startTestApiServer, type TestApiServer } from "@/test/api-server";
import { createTestCustomer, createTestPlatform, type TestPlatform } from "@/test/factories";
import { pruneIdempotencyKeys } from "@/lib/idempotency/idempotency-keys";
import { apiRoute } from "./route";

/**
 * Idempotency-Key through real HTTP (test/api-server.ts serves the app's route handlers),
 * plus a few cases on an `apiRoute` of the test's own (a handler that fails once, one that
 * is held in flight) that no real endpoint can be made to show on demand.
 */

let server: TestApiServer;
let platform: TestPlatform;
let otherPlatform: TestPlatform;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  server = await startTestApiServer();
  [platform, otherPlatform] = await Promise.all([createTestPlatform("Idempotency"), createTestPlatform("Idempotency other")]);
  api = apiClient(server.url, platform.apiKey);
});
afterAll(async () => {
  await server?.close();
  await closeDb();
});

const withKey = (key: string) => ({ headers: { "Idempotency-Key": key } });
const customersWith = (email: string) => prisma().customer.count({ where: { email } });

describe("Idempotency-Key on POST /customers", () => {
  it("replays the first answer (status, body, Idempotent-Replayed) and creates one customer", async () => {
    const key = crypto.randomUUID();
    const body = { name: "Walter", email: `${newId("w")}@example.com`, metadata: { plan: "pro" } };
    const first = await api("POST", "/customers", body, withKey(key));
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();

    const second = await api("POST", "/customers", body, withKey(key));
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(second.headers.get("content-type")).toMatch(/^application\/json/);
    expect(second.headers.get("x-request-id")).not.toBe(first.headers.get("x-request-id"));
    expect(await customersWith(body.email)).toBe(1);
  });

  it("answers what the handler did when its answer cannot be stored; the key then stays in use", async () => {
    const key = crypto.randomUUID();
    const body = { email: `${newId("w")}@example.com` };
    // The database goes away between the handler's commit and the stored answer.
    const db = pool();
    const query = db.query.bind(db);
    const failing = vi.spyOn(db, "query").mockImplementation(((...args: Parameters<typeof db.query>) => {
      const text = typeof args[0] === "string" ? args[0] : "";
      if (text.includes("UPDATE idempotency_keys SET response_status")) return Promise.reject(new Error("Connection terminated unexpectedly"));
      return query(...args);
    }) as typeof db.query);
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const first = await api("POST", "/customers", body, withKey(key));
      expect(first.status).toBe(201);
      expect(first.body.email).toBe(body.email);
      expect(logged.mock.calls.some((c) => String(c[0]).includes("could not be stored"))).toBe(true);
    } finally {
      failing.mockRestore();
      logged.mockRestore();
    }
    const again = await api("POST", "/customers", body, withKey(key));
    expect(again.status).toBe(409);
    expect(await customersWith(body.email)).toBe(1);
  });

  it("without the header, the same body creates twice (the header is opt-in)", async () => {
    const body = { email: `${newId("w")}@example.com` };
    expect((await api("POST", "/customers", body)).status).toBe(201);
    expect((await api("POST", "/customers", body)).status).toBe(201);
    expect(await customersWith(body.email)).toBe(2);
  });

  it("answers 409 idempotency_key_reused for the same key with another body or path, writing nothing", async () => {
    const key = crypto.randomUUID();
    const email = `${newId("w")}@example.com`;
    expect((await api("POST", "/customers", { email }, withKey(key))).status).toBe(201);
    const otherEmail = `${newId("w")}@example.com`;
    const conflict = await api("POST", "/customers", { email: otherEmail }, withKey(key));
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({ type: "https://drawdown.dev/problems/idempotency_key_reused", status: 409 });
    expect(conflict.body.detail).toMatch(/different request/);
    expect(await customersWith(otherEmail)).toBe(0);

    const otherPath = await api("POST", "/webhooks", { url: "https://glitch.ai/hooks" }, withKey(key));
    expect(otherPath.status).toBe(409);
    expect(await prisma().webhookEndpoint.count({ where: { platformId: platform.platformId, url: "https://glitch.ai/hooks" } })).toBe(0);
  });

  it("keeps keys apart per platform: the same key and body create one customer on each", async () => {
    const key = crypto.randomUUID();
    const body = { email: `${newId("w")}@example.com` };
    const mine = await api("POST", "/customers", body, withKey(key));
    const theirs = await apiClient(server.url, otherPlatform.apiKey)("POST", "/customers", body, withKey(key));
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(theirs.headers.get("idempotent-replayed")).toBeNull();
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(await customersWith(body.email)).toBe(2);
  });

  it("replays client errors too: a 422 answered once is answered again", async () => {
    const key = crypto.randomUUID();
    const first = await api("POST", "/customers", { email: "not an email" }, withKey(key));
    expect(first.status).toBe(422);
    const second = await api("POST", "/customers", { email: "not an email" }, withKey(key));
    expect(second.status).toBe(422);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get("content-type")).toBe("application/problem+json");
    expect(second.headers.get("idempotent-replayed")).toBe("true");
  });

  it("refuses a key longer than 255 characters with 422 and writes nothing", async () => {
    const body = { email: `${newId("w")}@example.com` };
    const res = await api("POST", "/customers", body, withKey("k".repeat(256)));
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ field: "Idempotency-Key", message: expect.stringMatching(/255/) }]);
    expect(await customersWith(body.email)).toBe(0);
    expect((await api("POST", "/customers", body, withKey("k".repeat(255)))).status).toBe(201);
  });

  it("ignores the header on GET", async () => {
    const key = crypto.randomUUID();
    const a = await api("GET", "/customers?limit=1", undefined, withKey(key));
    const b = await api("GET", "/customers?limit=1", undefined, withKey(key));
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(b.headers.get("idempotent-replayed")).toBeNull();
  });

  it("lets concurrent repeats through at most once: the rest are replays or 409 in use", async () => {
    const key = crypto.randomUUID();
    const body = { email: `${newId("w")}@example.com` };
    const answers = await Promise.all(Array.from({ length: 8 }, () => api("POST", "/customers", body, withKey(key))));
    const fresh = answers.filter((a) => a.status === 201 && a.headers.get("idempotent-replayed") === null);
    expect(fresh).toHaveLength(1);
    for (const a of answers) {
      if (a.status === 201) expect(a.body).toEqual(fresh[0]!.body);
      else expect(a.body.type).toBe("https://drawdown.dev/problems/idempotency_key_in_use");
    }
    expect(await customersWith(body.email)).toBe(1);
  });

  it("replaces an answer older than 24 hours, and the prune job deletes such rows", async () => {
    const key = crypto.randomUUID();
    expect((await api("POST", "/customers", { email: `${newId("w")}@example.com` }, withKey(key))).status).toBe(201);
    const age = (hours: number) =>
      pool().query(`UPDATE idempotency_keys SET created_at = now() - make_interval(hours => $3) WHERE platform_id = $1 AND key = $2`, [platform.platformId, key, hours]);
    await age(25);
    const later = await api("POST", "/customers", { email: `${newId("w")}@example.com` }, withKey(key));
    expect(later.status).toBe(201);
    expect(later.headers.get("idempotent-replayed")).toBeNull();

    await age(25);
    expect(await pruneIdempotencyKeys()).toBeGreaterThanOrEqual(1);
    const { rowCount } = await pool().query(`SELECT 1 FROM idempotency_keys WHERE platform_id = $1 AND key = $2`, [platform.platformId, key]);
    expect(rowCount).toBe(0);
  });
});

describe("Idempotency-Key on adjustments (already idempotent by transaction_id)", () => {
  it("replays with the header and still credits once", async () => {
    const { customerId } = await createTestCustomer(platform.platformId);
    const key = crypto.randomUUID();
    const body = { transaction_id: crypto.randomUUID(), asset: "USD", amount: 25, reason: "external_topup" };
    const path = `/customers/${customerId}/wallet/adjustments`;
    const first = await api("POST", path, body, withKey(key));
    const second = await api("POST", path, body, withKey(key));
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body).toEqual(first.body);
    const wallet = await api("GET", `/customers/${customerId}/wallet`);
    expect(wallet.body.accounts).toEqual([expect.objectContaining({ id: "default:USD", available: 25 })]);
  });
});

describe("Idempotency-Key in the apiRoute wrapper", () => {
  const BASE = "http://localhost/api/v1/things";
  const post = (key: string, body: unknown = { n: 1 }) =>
    new Request(BASE, {
      method: "POST",
      headers: { Authorization: `Bearer ${platform.apiKey}`, "Content-Type": "application/json", "Idempotency-Key": key },
      body: JSON.stringify(body),
    });

  it("does not store a 5xx: a retry with the same key runs the handler again", async () => {
    let calls = 0;
    const route = apiRoute(testOperation({ body: z.object({ n: z.number() }), status: 201 }), () => {
      calls += 1;
      if (calls === 1) throw new Error("boom");
      return { calls };
    });
    const key = crypto.randomUUID();
    // The 500's cause goes to the log (with its stack); captured here, as expected.
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    expect((await route(post(key))).status).toBe(500);
    const logged = errors.mock.calls.flat();
    errors.mockRestore();
    expect(logged.some((arg) => arg instanceof Error && arg.message === "boom")).toBe(true);
    const retry = await route(post(key));
    expect(retry.status).toBe(201);
    expect(await retry.json()).toEqual({ calls: 2 });
    const replay = await route(post(key));
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(await replay.json()).toEqual({ calls: 2 });
    expect(calls).toBe(2);
  });

  it("answers 409 idempotency_key_in_use with Retry-After while the first request runs", async () => {
    let open!: () => void;
    let entered!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const running = new Promise<void>((resolve) => (entered = resolve));
    let calls = 0;
    const route = apiRoute(testOperation({ body: z.object({ n: z.number() }), status: 201 }), async () => {
      calls += 1;
      entered();
      await gate;
      return { done: true };
    });
    const key = crypto.randomUUID();
    const first = route(post(key));
    await running; // the first has claimed the key and is in its handler
    const busy = await route(post(key));
    expect(busy.status).toBe(409);
    expect(busy.headers.get("retry-after")).toBe("1");
    expect(((await busy.json()) as { type: string }).type).toBe("https://drawdown.dev/problems/idempotency_key_in_use");
    open();
    expect((await first).status).toBe(201);
    const after = await route(post(key));
    expect(after.status).toBe(201);
    expect(after.headers.get("idempotent-replayed")).toBe("true");
    expect(calls).toBe(1);
  });
});
