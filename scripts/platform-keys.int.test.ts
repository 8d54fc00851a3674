import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKeysCacheTtlMs, createApiKey, findApiKey } from "@/lib/auth/api-keys";
import { COHERENT_TTL_MS } from "@/lib/cache-invalidation";
import { closeDb, prisma } from "@/lib/db";
import { apiClient, startTestApiServer, type TestApiServer } from "@/test/api-server";
import { createTestPlatform, type TestPlatform } from "@/test/factories";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "..");

let server: TestApiServer;
let platform: TestPlatform;
beforeAll(async () => {
  server = await startTestApiServer();
  platform = await createTestPlatform("Keys CLI");
});
afterAll(async () => {
  await server.close();
  await closeDb();
});

function platformKeys(args: string[]) {
  return run(process.execPath, ["--import", "tsx", path.join(root, "scripts/platform-keys.ts"), ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL },
    timeout: 60_000,
  });
}

async function waitFor(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("npm run platform:keys", () => {
  it("create --json prints the new key once; --live makes a live key; --name names it", async () => {
    const test = JSON.parse((await platformKeys(["--platform", platform.platformId, "create", "--json"])).stdout);
    expect(test).toMatchObject({ id: expect.stringMatching(/^key_/), mode: "test", name: null, revoked_at: null, secret: expect.stringMatching(/^dd_test_/) });
    expect(await findApiKey(test.secret)).toEqual({ keyId: test.id, platformId: platform.platformId, liveMode: false });

    const live = JSON.parse((await platformKeys(["--platform", platform.platformId, "create", "--live", "--name", "prod", "--json"])).stdout);
    expect(live).toMatchObject({ mode: "live", name: "prod", secret: expect.stringMatching(/^dd_live_/) });
    expect(await findApiKey(live.secret)).toMatchObject({ platformId: platform.platformId, liveMode: true });
  });

  it("list --json shows every key of both modes, never a secret", async () => {
    const own = await createTestPlatform("Keys CLI list");
    const live = await createApiKey(own.platformId, true, { name: "live one" });
    const { stdout } = await platformKeys(["--platform", own.platformId, "list", "--json"]);
    const printed = JSON.parse(stdout) as { items: { id: string; mode: string }[] };
    expect(printed.items.map((k) => [k.id, k.mode])).toEqual([
      [live.id, "live"],
      [own.apiKeyId, "test"],
    ]);
    expect(stdout).not.toContain(own.apiKey);
    expect(stdout).not.toContain(live.key);

    const text = await platformKeys(["--platform", own.platformId, "list"]);
    expect(text.stdout).toContain(live.id);
    expect(text.stdout).toContain('"live one"');
  });

  it("revoke: a key cached as valid by the app in another process is refused on its very next request", async () => {
    const own = await createTestPlatform("Keys CLI revoke");
    const api = apiClient(server.url, own.apiKey);
    expect((await api("GET", "/api-keys")).status).toBe(200); // starts this process's listener
    await waitFor(() => apiKeysCacheTtlMs() === COHERENT_TTL_MS);
    expect((await api("GET", "/api-keys")).status).toBe(200); // cached while listening

    const { stdout } = await platformKeys(["--platform", own.platformId, "revoke", own.apiKeyId, "--json"]);
    expect(JSON.parse(stdout)).toMatchObject({ id: own.apiKeyId, revoked_at: expect.any(String) });
    const refused = await api("GET", "/api-keys");
    expect(refused.status).toBe(401);

    // Revoking again changes nothing and succeeds.
    const again = await platformKeys(["--platform", own.platformId, "revoke", own.apiKeyId]);
    expect(again.stdout).toMatch(/already revoked/);
    const row = await prisma().apiKey.findUniqueOrThrow({ where: { id: own.apiKeyId } });
    expect(row.revokedAt!.toISOString()).toBe(JSON.parse(stdout).revoked_at);
  });

  it("exits 1 for an unknown platform or another platform's key, and revokes nothing", async () => {
    const other = await createTestPlatform("Keys CLI other");
    await expect(platformKeys(["--platform", "plat_doesnotexist", "list"])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining("No platform plat_doesnotexist") });
    await expect(platformKeys(["--platform", platform.platformId, "revoke", other.apiKeyId])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining(`no API key ${other.apiKeyId}`) });
    await expect(platformKeys(["--platform", platform.platformId, "revoke", "key_doesnotexist"])).rejects.toMatchObject({ code: 1 });
    expect(await findApiKey(other.apiKey)).not.toBeNull();
  });

  it.each([
    ["no --platform", ["list"]],
    ["no command", ["--platform", "plat_x"]],
    ["an unknown command", ["--platform", "plat_x", "delete", "key_x"]],
    ["revoke without a key id", ["--platform", "plat_x", "revoke"]],
    ["--live with list", ["--platform", "plat_x", "list", "--live"]],
    ["an unknown option", ["--platform", "plat_x", "list", "--all"]],
  ])("exits 2 with usage for %s", async (_label, args) => {
    await expect(platformKeys(args)).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining("Usage: npm run platform:keys") });
  });
});
