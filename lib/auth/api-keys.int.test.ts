import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COHERENT_TTL_MS } from "@/lib/cache-invalidation";
import { closeDb, prisma } from "@/lib/db";
import { databaseUrl } from "@/lib/env";
import { NotFoundError } from "@/lib/errors";
import { createPlatform } from "@/lib/platforms/create-platform";
import { apiKeysCacheTtlMs, createApiKey, findApiKey, getApiKeyOrThrow, hashApiKey, KEYS_CHANNEL, revokeApiKey } from "./api-keys";

afterAll(closeDb);

describe("API keys", () => {
  it("creates a test key that findApiKey resolves to its platform", async () => {
    const platform = await createPlatform({ name: "Keys Inc" });
    const { id, key } = await createApiKey(platform.id, false);
    expect(key).toMatch(/^dd_test_[0-9A-Za-z]{32,}$/);
    expect(await findApiKey(key)).toEqual({ keyId: id, platformId: platform.id, liveMode: false });
  });

  it("creates live keys with their own prefix", async () => {
    const platform = await createPlatform({ name: "Live Inc" });
    const { id, key } = await createApiKey(platform.id, true);
    expect(key).toMatch(/^dd_live_[0-9A-Za-z]{32,}$/);
    expect(await findApiKey(key)).toEqual({ keyId: id, platformId: platform.id, liveMode: true });
  });

  it("stores only the SHA-256 of the key and a short prefix", async () => {
    const platform = await createPlatform({ name: "Hash Inc" });
    const { id, key } = await createApiKey(platform.id, false);
    const row = await prisma().apiKey.findUniqueOrThrow({ where: { id } });
    expect(row.keyHash).toBe(hashApiKey(key));
    expect(row.keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.prefix.length).toBeLessThan(16);
    expect(key.startsWith(row.prefix)).toBe(true);
    expect(JSON.stringify(row)).not.toContain(key.slice(row.prefix.length));
  });

  it("returns null for unknown, altered, malformed and mode-swapped keys", async () => {
    const platform = await createPlatform({ name: "Wrong Inc" });
    const { key } = await createApiKey(platform.id, false);
    const last = key.at(-1) === "a" ? "b" : "a";
    expect(await findApiKey(`${key.slice(0, -1)}${last}`)).toBeNull();
    expect(await findApiKey(`dd_test_${"x".repeat(40)}`)).toBeNull();
    expect(await findApiKey("")).toBeNull();
    expect(await findApiKey("not a key")).toBeNull();
    expect(await findApiKey(key.replace("dd_test_", "dd_live_"))).toBeNull();
  });

  it("returns null once the key is revoked, and only its platform and mode can revoke it", async () => {
    const owner = await createPlatform({ name: "Owner" });
    const other = await createPlatform({ name: "Other" });
    const { id, key } = await createApiKey(owner.id, false);
    await expect(revokeApiKey({ platformId: other.id, liveMode: null }, id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(revokeApiKey({ platformId: owner.id, liveMode: true }, id)).rejects.toBeInstanceOf(NotFoundError);
    expect(await findApiKey(key)).not.toBeNull();
    // That use records last_used_at in the background; let it land so both answers below see it.
    await waitFor(async () => (await prisma().apiKey.findUniqueOrThrow({ where: { id } })).lastUsedAt !== null);
    const revoked = await revokeApiKey({ platformId: owner.id, liveMode: false }, id);
    expect(revoked).toMatchObject({ id, liveMode: false, revokedAt: expect.any(Date) });
    expect(await findApiKey(key)).toBeNull();
    // again: nothing changes, the first revocation is answered
    expect(await revokeApiKey({ platformId: owner.id, liveMode: null }, id)).toEqual(revoked);
  });

  it("records last_used_at on use, at most once a minute per key and process", async () => {
    const platform = await createPlatform({ name: "Used Inc" });
    const { id, key } = await createApiKey(platform.id, false);
    expect((await getApiKeyOrThrow({ platformId: platform.id, liveMode: false }, id)).lastUsedAt).toBeNull();
    await findApiKey(key);
    const lastUsed = async () => (await prisma().apiKey.findUniqueOrThrow({ where: { id } })).lastUsedAt;
    await waitFor(async () => (await lastUsed()) !== null);
    const first = await lastUsed();
    // Back-date it: within the minute this process does not write again, whatever is stored.
    await prisma().apiKey.update({ where: { id }, data: { lastUsedAt: new Date(Date.now() - 3_600_000) } });
    for (let i = 0; i < 5; i++) await findApiKey(key);
    await new Promise((r) => setTimeout(r, 100));
    expect((await lastUsed())!.getTime()).toBeLessThan(first!.getTime() - 3_000_000);
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Another process's revocation, as this process sees it: the write is made on a connection
 * of its own, so nothing in this process is told but by the NOTIFY.
 */
describe("the valid-key cache across processes", () => {
  let other: pg.Client;
  beforeAll(async () => {
    other = new pg.Client({ connectionString: databaseUrl() });
    await other.connect();
  });
  afterAll(() => other.end());

  it("keeps a valid key cached while listening, and drops it on another process's NOTIFY", async () => {
    const platform = await createPlatform({ name: "Cached Inc" });
    // Other test files revoke keys (and notify) concurrently: a window in which any
    // notification arrived proves nothing about caching, so count them and retry.
    let foreign = 0;
    const watcher = new pg.Client({ connectionString: databaseUrl() });
    await watcher.connect();
    watcher.on("notification", () => foreign++);
    await watcher.query(`LISTEN ${KEYS_CHANNEL}`);
    try {
      let proven: { id: string; key: string } | undefined;
      for (let attempt = 0; attempt < 20 && !proven; attempt++) {
        const candidate = await createApiKey(platform.id, false);
        expect(await findApiKey(candidate.key)).not.toBeNull(); // starts the listener, caches the key
        await waitFor(async () => apiKeysCacheTtlMs() === COHERENT_TTL_MS);
        expect(await findApiKey(candidate.key)).not.toBeNull(); // cached while listening
        const before = foreign;
        // Another process revokes the key without telling anyone...
        await other.query("UPDATE api_keys SET revoked_at = now() WHERE id = $1", [candidate.id]);
        const answer = await findApiKey(candidate.key);
        await new Promise((r) => setTimeout(r, 50)); // let a racing notification reach the watcher
        if (foreign !== before) continue;
        // ...so this process still accepts it from its cache.
        expect(answer).not.toBeNull();
        proven = candidate;
      }
      expect(proven).toBeDefined();

      // With the NOTIFY every revocation sends, the key is refused as soon as it arrives.
      await other.query("SELECT pg_notify($1, $2)", [KEYS_CHANNEL, proven!.id]);
      await waitFor(async () => (await findApiKey(proven!.key)) === null);
    } finally {
      await watcher.end();
    }
  });

  it("revokeApiKey notifies every process in its own statement, with the key id", async () => {
    const platform = await createPlatform({ name: "Notify Inc" });
    const { id } = await createApiKey(platform.id, true);
    const received: { channel: string; payload?: string }[] = [];
    const listener = new pg.Client({ connectionString: databaseUrl() });
    await listener.connect();
    try {
      listener.on("notification", (n) => n.payload === id && received.push({ channel: n.channel, payload: n.payload }));
      await listener.query(`LISTEN ${KEYS_CHANNEL}`);
      await revokeApiKey({ platformId: platform.id, liveMode: true }, id);
      await waitFor(async () => received.length > 0);
      expect(received).toEqual([{ channel: KEYS_CHANNEL, payload: id }]);
      // A second revocation changes nothing and tells no one.
      await revokeApiKey({ platformId: platform.id, liveMode: true }, id);
      await new Promise((r) => setTimeout(r, 100));
      expect(received).toHaveLength(1);
    } finally {
      await listener.end();
    }
  });
});
