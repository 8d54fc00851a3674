import { afterAll, describe, expect, it } from "vitest";
import { closeDb, prisma } from "@/lib/db";
import { createPlatform } from "@/lib/platforms/create-platform";
import { createApiKey, findApiKey, hashApiKey, revokeApiKey } from "./api-keys";

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

  it("returns null once the key is revoked, and only its platform can revoke it", async () => {
    const owner = await createPlatform({ name: "Owner" });
    const other = await createPlatform({ name: "Other" });
    const { id, key } = await createApiKey(owner.id, false);
    expect(await revokeApiKey(other.id, id)).toBe(false);
    expect(await findApiKey(key)).not.toBeNull();
    expect(await revokeApiKey(owner.id, id)).toBe(true);
    expect(await findApiKey(key)).toBeNull();
    expect(await revokeApiKey(owner.id, id)).toBe(false);
  });
});
