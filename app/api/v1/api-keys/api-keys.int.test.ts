import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/auth/api-keys";
import { closeDb, prisma } from "@/lib/db";
import { apiClient, startTestApiServer, type TestApiServer } from "@/test/api-server";
import { createTestPlatform, type TestPlatform } from "@/test/factories";

/**
 * POST/GET/DELETE /api/v1/api-keys over real HTTP: a platform rotating its own keys. The
 * secret shown once, the caller's mode only, tenancy, and a revoked key refused on the
 * very next request. Revocation from another process is covered in lib/auth and by the
 * CLI's test (scripts/platform-keys.int.test.ts).
 */

type Api = ReturnType<typeof apiClient>;
let server: TestApiServer;
let platform: TestPlatform;
let api: Api;
let liveApi: Api;
let liveKeyId: string;
let otherApi: Api;

beforeAll(async () => {
  server = await startTestApiServer();
  platform = await createTestPlatform("API keys API");
  api = apiClient(server.url, platform.apiKey);
  const live = await createApiKey(platform.platformId, true);
  liveKeyId = live.id;
  liveApi = apiClient(server.url, live.key);
  otherApi = apiClient(server.url, (await createTestPlatform("Someone else")).apiKey);
});
afterAll(async () => {
  await server.close();
  await closeDb();
});

const keyShape = (mode: "test" | "live") => ({
  id: expect.stringMatching(/^key_[0-9a-z]+$/),
  name: expect.toBeOneOf([null, expect.any(String)]),
  prefix: expect.stringMatching(new RegExp(`^dd_${mode}_[0-9A-Za-z]{4}$`)),
  mode,
  created_at: expect.any(String),
  last_used_at: expect.toBeOneOf([null, expect.any(String)]),
  revoked_at: null,
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("POST /api-keys", () => {
  it("creates a key of the caller's mode and shows its secret once; it works at once", async () => {
    const res = await api("POST", "/api-keys", { name: "rotation 2026" });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ ...keyShape("test"), name: "rotation 2026", last_used_at: null, secret: expect.stringMatching(/^dd_test_[0-9A-Za-z]{40}$/) });
    expect(res.body.secret.startsWith(res.body.prefix)).toBe(true);
    const row = await prisma().apiKey.findUniqueOrThrow({ where: { id: res.body.id } });
    expect(row).toMatchObject({ platformId: platform.platformId, liveMode: false, name: "rotation 2026" });

    const fresh = apiClient(server.url, res.body.secret);
    const seen = await fresh("GET", `/api-keys/${res.body.id}`);
    expect(seen.status).toBe(200);
    const { secret, ...shown } = res.body;
    expect(seen.body).toEqual({ ...shown, last_used_at: expect.toBeOneOf([null, expect.any(String)]) });
    expect(JSON.stringify(seen.body)).not.toContain(secret.slice(shown.prefix.length));
  });

  it("never keeps the secret for an Idempotency-Key replay: the replay is a 409 naming the key", async () => {
    const headers = { "Idempotency-Key": `rotate-${Date.now()}` };
    const first = await api("POST", "/api-keys", { name: "retried" }, { headers });
    expect(first.status).toBe(201);
    const secret = first.body.secret as string;
    expect(secret).toMatch(/^dd_test_/);
    const again = await api("POST", "/api-keys", { name: "retried" }, { headers });
    expect(again.status).toBe(409);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body).toMatchObject({ type: "https://drawdown.dev/problems/conflict", key_id: first.body.id });
    expect(JSON.stringify(again.body)).not.toContain(secret);
    const stored = await prisma().idempotencyKey.findFirstOrThrow({ where: { platformId: platform.platformId, key: headers["Idempotency-Key"] } });
    expect(stored.responseBody).not.toContain(secret);
    // one key was made, and it works
    expect((await apiClient(server.url, secret)("GET", "/api-keys")).status).toBe(200);
  });

  it("a live key makes live keys, a test key only test keys", async () => {
    const live = await liveApi("POST", "/api-keys", {});
    expect(live.status).toBe(201);
    expect(live.body).toMatchObject({ mode: "live", name: null, secret: expect.stringMatching(/^dd_live_/) });
    expect(await prisma().apiKey.findUniqueOrThrow({ where: { id: live.body.id } })).toMatchObject({ liveMode: true });

    // No field can ask for another mode: a test key never mints a live key.
    for (const body of [{ mode: "live" }, { live_mode: true }, { live: true }]) {
      const res = await api("POST", "/api-keys", body);
      expect(res.status).toBe(422);
    }
  });

  it.each([
    ["an empty name", { name: "" }, "name"],
    ["a name over 200 characters", { name: "x".repeat(201) }, "name"],
    ["a name that is not a string", { name: 5 }, "name"],
    ["an unknown field", { secret: "dd_test_mine" }, "secret"],
  ])("refuses %s with a 422 and writes nothing", async (_label, body, field) => {
    const before = await prisma().apiKey.count({ where: { platformId: platform.platformId } });
    const res = await api("POST", "/api-keys", body);
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ field })]);
    expect(await prisma().apiKey.count({ where: { platformId: platform.platformId } })).toBe(before);
  });

  it("refuses a missing or invalid key with a 401", async () => {
    expect((await apiClient(server.url, "")("POST", "/api-keys", {})).status).toBe(401);
    expect((await apiClient(server.url, `dd_test_${"x".repeat(40)}`)("GET", "/api-keys")).status).toBe(401);
  });
});

describe("GET /api-keys and /api-keys/{id}", () => {
  it("lists the platform's keys of the caller's mode, newest first, without secrets or hashes", async () => {
    const own = await createTestPlatform("Lister");
    const lister = apiClient(server.url, own.apiKey);
    const created = (await lister("POST", "/api-keys", { name: "second" })).body;
    await createApiKey(own.platformId, true); // live: not listed to a test key

    const res = await lister("GET", "/api-keys");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [expect.objectContaining({ id: created.id }), expect.objectContaining({ id: own.apiKeyId })], total_count: 2, limit: 20, offset: 0 });
    for (const item of res.body.items) expect(item).toEqual(keyShape("test"));
    expect(JSON.stringify(res.body)).not.toContain(created.secret);
    expect(JSON.stringify(res.body)).not.toContain(own.apiKey);
    const hashes = await prisma().apiKey.findMany({ where: { platformId: own.platformId }, select: { keyHash: true } });
    for (const { keyHash } of hashes) expect(JSON.stringify(res.body)).not.toContain(keyHash);

    const page = await lister("GET", "/api-keys?limit=1&offset=1");
    expect(page.body).toEqual({ items: [expect.objectContaining({ id: own.apiKeyId })], total_count: 2, limit: 1, offset: 1 });
    expect((await lister("GET", "/api-keys?limit=0")).status).toBe(422);
  });

  it("shows when a key was last used", async () => {
    const own = await createTestPlatform("Last used");
    const user = apiClient(server.url, own.apiKey);
    await user("GET", "/api-keys");
    await waitFor(async () => (await user("GET", `/api-keys/${own.apiKeyId}`)).body.last_used_at !== null);
    const { body } = await user("GET", `/api-keys/${own.apiKeyId}`);
    expect(Date.now() - Date.parse(body.last_used_at)).toBeLessThan(60_000);
  });

  it("answers 404 for another platform's key, a key of the other mode, and a malformed id", async () => {
    expect((await otherApi("GET", `/api-keys/${platform.apiKeyId}`)).status).toBe(404);
    expect((await api("GET", `/api-keys/${liveKeyId}`)).status).toBe(404);
    expect((await liveApi("GET", `/api-keys/${platform.apiKeyId}`)).status).toBe(404);
    expect((await api("GET", "/api-keys/key_doesnotexist")).status).toBe(404);
    expect((await api("GET", "/api-keys/cust_473cr1y0ghbyc3m1yfbwvn3nxx")).status).toBe(404);
    expect((await otherApi("GET", "/api-keys")).body.items.map((k: { id: string }) => k.id)).not.toContain(platform.apiKeyId);
    expect((await liveApi("GET", "/api-keys")).body.items.map((k: { id: string }) => k.id)).not.toContain(platform.apiKeyId);
  });
});

describe("DELETE /api-keys/{id}", () => {
  it("revokes a key: refused on the very next request, and revoking again answers the same", async () => {
    const created = (await api("POST", "/api-keys", { name: "leaked" })).body;
    const leaked = apiClient(server.url, created.secret);
    expect((await leaked("GET", "/api-keys")).status).toBe(200); // now cached as valid
    expect((await leaked("GET", "/api-keys")).status).toBe(200);

    const res = await api("DELETE", `/api-keys/${created.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...keyShape("test"), id: created.id, name: "leaked", revoked_at: expect.any(String) });
    expect(JSON.stringify(res.body)).not.toContain(created.secret);
    const refused = await leaked("GET", "/api-keys");
    expect(refused.status).toBe(401);
    expect(refused.body.detail).toMatch(/revoked/);

    const again = await api("DELETE", `/api-keys/${created.id}`);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(res.body);
    expect((await api("GET", "/api-keys")).body.items).toContainEqual(res.body);
  });

  it("lets a key revoke itself", async () => {
    const own = await createTestPlatform("Self revoke");
    const self = apiClient(server.url, own.apiKey);
    const res = await self("DELETE", `/api-keys/${own.apiKeyId}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: own.apiKeyId, revoked_at: expect.any(String) });
    expect((await self("GET", "/api-keys")).status).toBe(401);
  });

  it("answers 404 for another platform's key or the other mode's, and leaves it working", async () => {
    expect((await otherApi("DELETE", `/api-keys/${platform.apiKeyId}`)).status).toBe(404);
    expect((await api("DELETE", `/api-keys/${liveKeyId}`)).status).toBe(404);
    expect((await api("DELETE", "/api-keys/key_doesnotexist")).status).toBe(404);
    expect((await liveApi("GET", `/api-keys/${liveKeyId}`)).body.revoked_at).toBeNull();
    expect((await api("GET", `/api-keys/${platform.apiKeyId}`)).body.revoked_at).toBeNull();
  });

  it("answers 405 for methods the paths do not serve", async () => {
    expect((await api("PATCH", "/api-keys", {})).status).toBe(405);
    expect((await api("POST", `/api-keys/${platform.apiKeyId}`, {})).status).toBe(405);
  });
});
