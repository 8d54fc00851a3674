import { createHash, randomInt, timingSafeEqual } from "node:crypto";
import { prisma } from "@/lib/db";
import { newId } from "@/lib/ids";
import { TtlCache } from "@/lib/ttl-cache";

/**
 * Platform API keys: `dd_test_…` / `dd_live_…` followed by 40 random base62 characters
 * (about 238 bits). The key is returned once by createApiKey; the database keeps only its
 * SHA-256 (hex, unique) and a short display prefix, so a leaked table cannot be replayed.
 * A key's mode is part of the key: test keys only ever see test data.
 */

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const RANDOM_LENGTH = 40;
const PREFIX_RANDOM_CHARS = 4;
const KEY_PATTERN = /^dd_(test|live)_([0-9A-Za-z]{32,64})$/;

export interface ApiKeyOwner {
  keyId: string;
  platformId: string;
  liveMode: boolean;
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

function randomBase62(length: number): string {
  let out = "";
  // randomInt draws uniformly (no modulo bias).
  for (let i = 0; i < length; i++) out += BASE62[randomInt(BASE62.length)];
  return out;
}

/** Creates a key for the platform; the returned `key` is the only copy of the secret. */
export async function createApiKey(platformId: string, liveMode: boolean): Promise<{ id: string; key: string }> {
  const random = randomBase62(RANDOM_LENGTH);
  const mode = liveMode ? "live" : "test";
  const key = `dd_${mode}_${random}`;
  const id = newId("key");
  await prisma().apiKey.create({
    data: {
      id,
      platformId,
      liveMode,
      keyHash: hashApiKey(key),
      prefix: `dd_${mode}_${random.slice(0, PREFIX_RANDOM_CHARS)}`,
    },
  });
  return { id, key };
}

/**
 * The platform and mode of a valid, unrevoked key; null for anything else (malformed,
 * unknown, revoked). The lookup is by hash, so the secret is never compared as a string;
 * the stored hash is still checked with a constant-time comparison.
 */
export async function findApiKey(key: string): Promise<ApiKeyOwner | null> {
  const match = KEY_PATTERN.exec(key);
  if (!match) return null;
  const hash = hashApiKey(key);
  const cached = validKeys.get(hash);
  if (cached) return cached;
  const row = await prisma().apiKey.findUnique({
    where: { keyHash: hash },
    select: { id: true, platformId: true, liveMode: true, keyHash: true, revokedAt: true },
  });
  if (!row || row.revokedAt) return null;
  const stored = Buffer.from(row.keyHash, "hex");
  const given = Buffer.from(hash, "hex");
  if (stored.length !== given.length || !timingSafeEqual(stored, given)) return null;
  // The mode written in the key must agree with the stored one.
  if (row.liveMode !== (match[1] === "live")) return null;
  const owner = { keyId: row.id, platformId: row.platformId, liveMode: row.liveMode };
  validKeys.set(hash, owner);
  return owner;
}

/**
 * Valid keys seen recently, by hash: every API request authenticates, and a database
 * round trip per request was a measurable share of its cost (docs/benchmarks.md). Only
 * valid keys are kept; a revocation takes effect at once in the process that revokes and
 * within KEY_CACHE_TTL_MS in the others.
 */
export const KEY_CACHE_TTL_MS = 10_000;
const validKeys = new TtlCache<string, ApiKeyOwner>(KEY_CACHE_TTL_MS);

/** Revokes a key of the platform; false when the platform has no such unrevoked key. */
export async function revokeApiKey(platformId: string, keyId: string): Promise<boolean> {
  const { count } = await prisma().apiKey.updateMany({
    where: { id: keyId, platformId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  const revoked = await prisma().apiKey.findUnique({ where: { id: keyId }, select: { keyHash: true } });
  if (revoked) validKeys.delete(revoked.keyHash);
  return count === 1;
}
