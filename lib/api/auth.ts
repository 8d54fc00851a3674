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
 * The API key from `Authorization: Bearer <key>` or `X-API-Key: <key>`, never from the
 * query string (URLs end up in logs, proxies and browser history).
 */
export function apiKeyFromHeaders(headers: Headers): string | undefined {
  const authorization = headers.get("authorization")?.trim();
  const bearer = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (bearer) return bearer;
  const header = headers.get("x-api-key")?.trim();
  return header || undefined;
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
