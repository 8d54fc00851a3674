import { createHash, randomInt, timingSafeEqual } from "node:crypto";
import { COHERENT_TTL_MS, invalidationChannel } from "@/lib/cache-invalidation";
import { pool, prisma } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { TtlCache } from "@/lib/ttl-cache";
import { NEWEST_FIRST, type Page, paginate } from "@/lib/pagination";

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

/**
 * Whose keys a call may see: the API passes its caller's platform and mode (a test key
 * never sees live keys); the operator CLI passes `liveMode: null` for both modes. Never
 * undefined, so a missing mode cannot silently widen a query.
 */
export interface ApiKeyScope {
  platformId: string;
  liveMode: boolean | null;
}

/** A key as it may be shown: never its secret nor its hash. */
export interface ApiKey {
  id: string;
  name: string | null;
  /** The first characters of the key (`dd_test_AbCd`), to recognise it. */
  prefix: string;
  liveMode: boolean;
  createdAt: Date;
  /** Accurate to about a minute (recordKeyUse). */
  lastUsedAt: Date | null;
  revokedAt: Date | null;
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

/** Every column but the hash: reads never load it (only findApiKey, by hash). */
const publicColumns = { id: true, name: true, prefix: true, liveMode: true, createdAt: true, lastUsedAt: true, revokedAt: true } as const;

function scopeWhere(scope: ApiKeyScope) {
  return { platformId: scope.platformId, ...(scope.liveMode === null ? {} : { liveMode: scope.liveMode }) };
}

/** Creates a key for the platform in the given mode; `key` is the only copy of the secret. */
export async function createApiKey(
  platformId: string,
  liveMode: boolean,
  options: { name?: string | null } = {},
): Promise<{ id: string; key: string; apiKey: ApiKey }> {
  const random = randomBase62(RANDOM_LENGTH);
  const mode = liveMode ? "live" : "test";
  const key = `dd_${mode}_${random}`;
  const id = newId("key");
  const row = await prisma().apiKey.create({
    data: {
      id,
      platformId,
      liveMode,
      name: options.name ?? null,
      keyHash: hashApiKey(key),
      prefix: `dd_${mode}_${random.slice(0, PREFIX_RANDOM_CHARS)}`,
    },
    select: publicColumns,
  });
  return { id, key, apiKey: row };
}

/** The scope's keys, newest first, revoked ones included. */
export async function listApiKeys(scope: ApiKeyScope, page: Page): Promise<{ items: ApiKey[]; total: number }> {
  const where = scopeWhere(scope);
  return paginate(
    page,
    (window) => prisma().apiKey.findMany({ where, select: publicColumns, orderBy: NEWEST_FIRST, ...window }),
    () => prisma().apiKey.count({ where }),
  );
}

/** The scope's key; NotFoundError otherwise (also another platform's or mode's key). */
export async function getApiKeyOrThrow(scope: ApiKeyScope, keyId: string): Promise<ApiKey> {
  const row = await prisma().apiKey.findFirst({ where: { id: keyId, ...scopeWhere(scope) }, select: publicColumns });
  if (!row) throw new NotFoundError(`no API key ${keyId}`);
  return row;
}

/**
 * Revokes the scope's key; NotFoundError when the scope has no such key. Revoking a
 * revoked key changes nothing and answers it again (its first `revoked_at`).
 *
 * The update and its NOTIFY are one statement, so they commit together: every process
 * listening on KEYS_CHANNEL drops the key from its cache as the revocation commits, and
 * this process drops it before returning. A revoked key is therefore refused on the next
 * request everywhere, whether the revocation came from the API or the operator CLI.
 */
export async function revokeApiKey(scope: ApiKeyScope, keyId: string): Promise<ApiKey> {
  await prisma().$executeRaw`
    WITH revoked AS (
      UPDATE api_keys SET revoked_at = now()
      WHERE id = ${keyId} AND platform_id = ${scope.platformId}
        AND (${scope.liveMode}::boolean IS NULL OR live_mode = ${scope.liveMode}::boolean)
        AND revoked_at IS NULL
      RETURNING id
    )
    SELECT pg_notify(${KEYS_CHANNEL}, id) FROM revoked`;
  keysChannel.invalidateLocally(keyId);
  return getApiKeyOrThrow(scope, keyId);
}

/**
 * The platform and mode of a valid, unrevoked key; null for anything else (malformed,
 * unknown, revoked). The lookup is by hash, so the secret is never compared as a string;
 * the stored hash is still checked with a constant-time comparison. Records the key's use
 * (recordKeyUse) without waiting for it.
 */
export async function findApiKey(key: string): Promise<ApiKeyOwner | null> {
  const match = KEY_PATTERN.exec(key);
  if (!match) return null;
  keysChannel.startListening();
  const hash = hashApiKey(key);
  const cached = validKeys.get(hash);
  if (cached) {
    recordKeyUse(cached.keyId);
    return cached;
  }
  const generation = keysChannel.generation();
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
  // A revocation notified while the query ran may have made this answer stale: not kept.
  if (keysChannel.generation() === generation) validKeys.set(hash, owner, keysChannel.ttlMs());
  recordKeyUse(owner.keyId);
  return owner;
}

/**
 * Valid keys seen recently, by hash: every API request authenticates, and a database
 * round trip per request was a measurable share of its cost (docs/benchmarks.md), so a
 * cached key costs none. Only valid keys are kept, and a revocation empties them in every
 * process through KEYS_CHANNEL (lib/cache-invalidation.ts): the payload is the key id, ""
 * (a reconnect) drops everything. While this process is not listening, entries live
 * FALLBACK_TTL_MS only.
 */
export const KEYS_CHANNEL = "drawdown_api_keys";
const MAX_CACHED_KEYS = 10_000;
const keysChannel = invalidationChannel(KEYS_CHANNEL);
const validKeys = new TtlCache<string, ApiKeyOwner>(COHERENT_TTL_MS, MAX_CACHED_KEYS);
/** How long a key found valid now stays cached: long while this process listens, else briefly. */
export function apiKeysCacheTtlMs(): number {
  return keysChannel.ttlMs();
}

keysChannel.onInvalidate((keyId) => {
  if (!keyId) return validKeys.clear();
  // Revocations are rare; a scan of at most MAX_CACHED_KEYS entries is fine.
  validKeys.deleteWhere((owner) => owner.keyId === keyId);
});

/**
 * `last_used_at` is written at most once per LAST_USED_GRANULARITY_MS per key and
 * process, after the request and without waiting for it (a failure is logged, never the
 * request's), and only when the stored value is that old, so replicas add no writes: the
 * value is accurate to about a minute.
 */
export const LAST_USED_GRANULARITY_MS = 60_000;
const lastRecorded = new TtlCache<string, true>(LAST_USED_GRANULARITY_MS, MAX_CACHED_KEYS);

function recordKeyUse(keyId: string): void {
  if (lastRecorded.get(keyId)) return;
  lastRecorded.set(keyId, true);
  pool()
    .query(
      "UPDATE api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= now() - $2 * interval '1 millisecond')",
      [keyId, LAST_USED_GRANULARITY_MS],
    )
    .catch((error: unknown) => console.warn("[api-keys] could not record a key's last use:", (error as Error).message));
}
