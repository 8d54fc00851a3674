import { createHash, randomBytes } from "node:crypto";
import { pool } from "@/lib/db";
import { env } from "@/lib/env";

/**
 * Single-use sign-in links for the billing portal (`POST /billing-portal/sessions`) and for
 * top-ups started by a platform (the link signs the customer in, then continues to Stripe
 * Checkout). The token is 32 random bytes (base64url); only its SHA-256 is stored, so a
 * leaked `redirect_tokens` table cannot be replayed. A token is consumed at most once:
 * see consumeRedirectToken.
 */

export const REDIRECT_TOKEN_TTL_SECONDS = 10 * 60;

export interface CreateRedirectTokenInput {
  customerId: string;
  /** Where to go after sign-in: a portal path (`/portal`, …) or an absolute Checkout URL. */
  target: string;
  /** The platform's page the portal links back to. */
  returnUrl?: string | null;
  /** Where an expired or used link goes instead of the explanatory page. */
  failureUrl?: string | null;
  ttlSeconds?: number;
}

export interface CreatedRedirectToken {
  /** `${APP_URL}/api/sign-in?token=…`: the link to hand to the customer's browser. */
  url: string;
  /** The secret itself; shown once, never stored. */
  token: string;
  expiresAt: Date;
}

export interface ConsumedRedirectToken {
  customerId: string;
  target: string;
  returnUrl: string | null;
  failureUrl: string | null;
}

export function hashRedirectToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function signInUrl(token: string): string {
  const url = new URL("/api/sign-in", env().APP_URL);
  url.searchParams.set("token", token);
  return url.toString();
}

export async function createRedirectToken(input: CreateRedirectTokenInput): Promise<CreatedRedirectToken> {
  const ttl = input.ttlSeconds ?? REDIRECT_TOKEN_TTL_SECONDS;
  if (!Number.isFinite(ttl) || ttl <= 0) throw new Error("ttlSeconds must be positive");
  const token = randomBytes(32).toString("base64url");
  // The database clock decides expiry (consume compares against now() there too).
  const { rows } = await pool().query<{ expires_at: Date }>(
    `INSERT INTO redirect_tokens (token_hash, customer_id, target, return_url, failure_url, expires_at)
     VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6))
     RETURNING expires_at`,
    [hashRedirectToken(token), input.customerId, input.target, input.returnUrl ?? null, input.failureUrl ?? null, ttl],
  );
  return { url: signInUrl(token), token, expiresAt: rows[0]!.expires_at };
}

/**
 * Uses the token up and returns what it was made for; null when it is unknown, expired or
 * already used. Atomic: the single conditional UPDATE means two concurrent requests with
 * the same token cannot both succeed.
 */
export async function consumeRedirectToken(token: string): Promise<ConsumedRedirectToken | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const { rows } = await pool().query<{
    customer_id: string;
    target: string;
    return_url: string | null;
    failure_url: string | null;
  }>(
    `UPDATE redirect_tokens SET used_at = now()
      WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()
      RETURNING customer_id, target, return_url, failure_url`,
    [hashRedirectToken(token)],
  );
  const row = rows[0];
  if (!row) return null;
  return { customerId: row.customer_id, target: row.target, returnUrl: row.return_url, failureUrl: row.failure_url };
}

/**
 * The failure URL of a token that can no longer be used (expired or used), so the sign-in
 * route can send the browser back to the platform. Null for unknown tokens.
 */
export async function failureUrlOfRedirectToken(token: string): Promise<string | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const { rows } = await pool().query<{ failure_url: string | null }>(
    `SELECT failure_url FROM redirect_tokens WHERE token_hash = $1`,
    [hashRedirectToken(token)],
  );
  return rows[0]?.failure_url ?? null;
}
