import { pool } from "@/lib/db";

/**
 * Deletes console sessions and sign-in tokens past their expiry: neither can be used any
 * more (findOperatorSession and confirmOperatorSignIn check `expires_at`), so this only
 * keeps the tables small; live ones are never touched. Run hourly by lib/jobs.
 */
export async function pruneConsoleSessions(now: Date = new Date()): Promise<{ sessions: number; signInTokens: number }> {
  const [sessions, tokens] = await Promise.all([
    pool().query(`DELETE FROM operator_sessions WHERE expires_at <= $1`, [now]),
    pool().query(`DELETE FROM operator_sign_in_tokens WHERE expires_at <= $1`, [now]),
  ]);
  return { sessions: sessions.rowCount ?? 0, signInTokens: tokens.rowCount ?? 0 };
}
