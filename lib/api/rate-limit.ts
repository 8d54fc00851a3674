import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { env } from "@/lib/env";
import { problems } from "./problem";

/**
 * Per-API-key rate limit: `API_RATE_LIMIT` requests per one-second window, in this
 * process's memory. The fixed window lets a client send up to twice the limit across a
 * window boundary (the "burst is 2x" of lib/env.ts). Replicas each count on their own;
 * a shared limit across replicas would swap in RateLimiterPostgres here.
 */
let limiter: RateLimiterMemory | undefined;

function apiRateLimiter(): RateLimiterMemory {
  limiter ??= new RateLimiterMemory({ keyPrefix: "api", points: env().API_RATE_LIMIT, duration: 1 });
  return limiter;
}

/**
 * Replaces the limiter with one allowing `pointsPerSecond` (tests use a tiny limit to see
 * 429); `undefined` goes back to `API_RATE_LIMIT`. Counters start from zero either way.
 */
export function setApiRateLimit(pointsPerSecond: number | undefined, durationSeconds = 1): void {
  limiter =
    pointsPerSecond === undefined
      ? undefined
      : new RateLimiterMemory({ keyPrefix: "api", points: pointsPerSecond, duration: durationSeconds });
}

/** Counts one request for the key; throws a 429 problem with `Retry-After` when over. */
export async function consumeRateLimit(keyId: string): Promise<void> {
  try {
    await apiRateLimiter().consume(keyId);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      throw problems.rateLimited(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
    }
    throw rejection;
  }
}
