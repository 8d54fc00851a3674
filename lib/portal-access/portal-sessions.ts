import { pool } from "@/lib/db";
import { newId } from "@/lib/ids";
import { hashSessionToken, newSessionToken, PORTAL_SESSION_MAX_AGE_SECONDS } from "./session-cookie";

/**
 * Database sessions of the billing portal (revocable: deleting the row signs the browser
 * out on its next request). A session belongs to exactly one customer, and through it to
 * one platform and one mode; `customer_id` is next-auth's user id (see portal-adapter.ts).
 */

export interface PortalSession {
  sessionId: string;
  customerId: string;
  platformId: string;
  liveMode: boolean;
  /** The platform page the portal links back to (from the portal-session request). */
  returnUrl: string | null;
  expiresAt: Date;
}

export interface CreatedPortalSession {
  /** The cookie value; only its hash is stored. */
  sessionToken: string;
  expiresAt: Date;
}

export async function createPortalSession(input: {
  customerId: string;
  returnUrl?: string | null;
  sessionToken?: string;
  expiresAt?: Date;
}): Promise<CreatedPortalSession> {
  const sessionToken = input.sessionToken ?? newSessionToken();
  const expiresAt = input.expiresAt ?? new Date(Date.now() + PORTAL_SESSION_MAX_AGE_SECONDS * 1000);
  await pool().query(
    `INSERT INTO portal_sessions (id, token_hash, customer_id, return_url, expires_at) VALUES ($1, $2, $3, $4, $5)`,
    [newId("psess"), hashSessionToken(sessionToken), input.customerId, input.returnUrl ?? null, expiresAt],
  );
  return { sessionToken, expiresAt };
}

/** The live session behind a cookie value, with its customer's platform and mode; null when unknown or expired. */
export async function findPortalSession(sessionToken: string): Promise<PortalSession | null> {
  if (!sessionToken || sessionToken.length > 200) return null;
  const { rows } = await pool().query<{
    id: string;
    customer_id: string;
    platform_id: string;
    live_mode: boolean;
    return_url: string | null;
    expires_at: Date;
  }>(
    `SELECT s.id, s.customer_id, c.platform_id, c.live_mode, s.return_url, s.expires_at
       FROM portal_sessions s JOIN customers c ON c.id = s.customer_id
      WHERE s.token_hash = $1 AND s.expires_at > now()`,
    [hashSessionToken(sessionToken)],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    sessionId: row.id,
    customerId: row.customer_id,
    platformId: row.platform_id,
    liveMode: row.live_mode,
    returnUrl: row.return_url,
    expiresAt: row.expires_at,
  };
}

export async function deletePortalSession(sessionToken: string): Promise<void> {
  await pool().query(`DELETE FROM portal_sessions WHERE token_hash = $1`, [hashSessionToken(sessionToken)]);
}

export async function extendPortalSession(sessionToken: string, expiresAt: Date): Promise<void> {
  await pool().query(`UPDATE portal_sessions SET expires_at = $2 WHERE token_hash = $1`, [hashSessionToken(sessionToken), expiresAt]);
}
