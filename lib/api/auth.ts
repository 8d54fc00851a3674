import { findApiKey } from "@/lib/auth/api-keys";
import { problems } from "./problem";

/** The caller of an API request: its platform (the tenant) and the key's mode. */
export interface ApiAuth {
  platformId: string;
  liveMode: boolean;
  keyId: string;
}

/** Query parameters people try for keys; named only to say they are refused. */
const queryKeyNames = ["api_key", "apikey", "key", "token", "access_token"];

/**
 * Where an API key may come from, in the order they are read. `X-CREDYT-API-KEY` is the
 * header Credyt's documentation uses (any letter case, as for every header), so code
 * written from those docs works with only the base URL and the key changed.
 */
const KEY_HEADERS = ["authorization", "x-api-key", "x-credyt-api-key"] as const;

/**
 * The API key from `Authorization: Bearer <key>`, `X-API-Key: <key>` or
 * `X-CREDYT-API-KEY: <key>`, never from the query string (URLs end up in logs, proxies
 * and browser history). Several headers naming the same key are fine; naming different
 * keys is refused, so a request never runs under a tenant its sender did not mean.
 */
export function apiKeyFromHeaders(headers: Headers): string | undefined {
  const keys = new Set<string>();
  for (const name of KEY_HEADERS) {
    const raw = headers.get(name)?.trim();
    if (!raw) continue;
    const key = name === "authorization" ? raw.match(/^Bearer\s+(\S+)$/i)?.[1] : raw;
    if (key) keys.add(key);
  }
  if (keys.size > 1) {
    throw problems.unauthorized("The request names more than one API key; send one key in one header.");
  }
  return keys.values().next().value;
}

/** Resolves the tenant before any handler runs; 401 problem when there is no valid key. */
export async function authenticate(request: Request): Promise<ApiAuth> {
  const key = apiKeyFromHeaders(request.headers);
  if (!key) {
    const params = new URL(request.url).searchParams;
    if (queryKeyNames.some((name) => params.has(name))) {
      throw problems.unauthorized("API keys are not accepted in the query string; send them in a header.");
    }
    throw problems.unauthorized();
  }
  // Real keys are short; do not hash whatever a client puts in a header.
  const found = key.length <= 256 ? await findApiKey(key) : null;
  if (!found) throw problems.unauthorized("The API key is invalid or revoked.");
  return { platformId: found.platformId, liveMode: found.liveMode, keyId: found.keyId };
}
