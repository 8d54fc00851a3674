import { StripeApiError } from "./errors";
import type { Params } from "./form";
import type { Reply } from "./http";

export interface SavedResult {
  method: string;
  path: string;
  fingerprint: string;
  reply: Reply;
  requestId: string;
  savedAt: number;
}

const keyLifetimeMs = 24 * 60 * 60 * 1000;

/**
 * Stripe's `Idempotency-Key` semantics: the first result for a key (per API key) is saved
 * and every later request with that key gets the very same status and body back, marked
 * `Idempotent-Replayed: true`, without running again. Reusing a key for another endpoint
 * or other parameters is a 400 `idempotency_error`. As with Stripe, requests refused by
 * validation (400/401/404) are not saved, so a corrected retry may reuse the key.
 * Keys are forgotten after 24 hours. The saved results go into the state file with the rest
 * (`entries`/`load`), so a retry after a restart of `npm run dev` replays the payment it
 * made before rather than charging the card again.
 */
export class IdempotencyStore {
  private readonly saved = new Map<string, SavedResult>();

  replay(scope: string, key: string, method: string, path: string, params: Params): Reply | undefined {
    const found = this.saved.get(`${scope}\u0000${key}`);
    if (!found || Date.now() - found.savedAt > keyLifetimeMs) return undefined;
    if (found.method !== method || found.path !== path) {
      throw new StripeApiError(
        400,
        "idempotency_error",
        `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${found.method} ${found.path}' vs '${method} ${path}'). Try using a key other than '${key}' if you meant to execute a different request.`,
      );
    }
    if (found.fingerprint !== fingerprint(params)) {
      throw new StripeApiError(
        400,
        "idempotency_error",
        `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
      );
    }
    return {
      ...found.reply,
      headers: { ...found.reply.headers, "Idempotent-Replayed": "true", "Original-Request": found.requestId },
    };
  }

  save(scope: string, key: string, method: string, path: string, params: Params, reply: Reply, requestId: string): void {
    if ([400, 401, 404].includes(reply.status)) return;
    this.saved.set(`${scope}\u0000${key}`, { method, path, fingerprint: fingerprint(params), reply, requestId, savedAt: Date.now() });
  }

  clear(): void {
    this.saved.clear();
  }

  /** The keys still within their 24 hours, for the state file (key = scope NUL key). */
  entries(): Record<string, SavedResult> {
    const now = Date.now();
    return Object.fromEntries([...this.saved].filter(([, result]) => now - result.savedAt <= keyLifetimeMs));
  }

  load(entries: Record<string, SavedResult>): void {
    this.saved.clear();
    for (const [key, result] of Object.entries(entries)) this.saved.set(key, result);
  }
}

/** Parameters compared by value, whatever order the client encoded them in. */
function fingerprint(params: Params): string {
  return JSON.stringify(params, (_key, value: unknown) =>
    value && typeof value === "object" && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value,
  );
}
