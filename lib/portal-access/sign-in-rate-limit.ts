import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { pool } from "@/lib/db";

/**
 * Limits on magic-link emails, counted in PostgreSQL (table rate_limits, made by a
 * migration) so that every app replica shares them: per address (whatever the platform),
 * 5 per 15 minutes; per client IP (lib/http/client-address.ts), 30 per hour. Both are
 * charged on every request, known address or not, so the limits reveal nothing about who
 * is a customer.
 */
const PER_ADDRESS = { points: 5, duration: 15 * 60 };
const PER_IP = { points: 30, duration: 60 * 60 };

let limiters: { address: RateLimiterPostgres; ip: RateLimiterPostgres } | undefined;

function make(keyPrefix: string, opts: { points: number; duration: number }): RateLimiterPostgres {
  return new RateLimiterPostgres({
    storeClient: pool(),
    storeType: "pool",
    tableName: "rate_limits",
    tableCreated: true,
    keyPrefix,
    ...opts,
  });
}

export type SignInRateLimit = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export async function consumeSignInRateLimit(email: string, ip: string | null): Promise<SignInRateLimit> {
  limiters ??= { address: make("signin_email", PER_ADDRESS), ip: make("signin_ip", PER_IP) };
  const { address, ip: byIp } = limiters;
  try {
    await Promise.all([address.consume(email), ip ? byIp.consume(ip) : Promise.resolve()]);
    return { allowed: true };
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
    }
    throw rejection;
  }
}
