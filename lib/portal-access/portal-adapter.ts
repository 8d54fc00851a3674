import type { Adapter, AdapterSession, AdapterUser, VerificationToken } from "next-auth/adapters";
import { pool } from "@/lib/db";
import { findCustomerByIdentity, parseIdentity } from "./magic-link-identity";
import { createPortalSession, deletePortalSession, extendPortalSession, findPortalSession } from "./portal-sessions";

/**
 * next-auth's adapter over Drawdown's own tables. The mapping:
 * - a next-auth **User is a customer**: `User.id` is the `cust_…` id. There is no users
 *   table; customers are created by their platform through the API, never by sign-in, so
 *   createUser refuses. Through the customer, a user belongs to one platform and mode.
 * - `User.email` is the magic-link identifier `plat_…:mode:address` (magic-link-identity.ts)
 *   for users found by getUserByEmail, so next-auth's callback, which looks the user up
 *   again by that value, finds the same customer.
 * - Sessions are rows of portal_sessions keyed by the hash of the cookie value.
 * - Verification tokens are rows of verification_tokens; next-auth stores
 *   SHA-256(token + secret) there, never the token, and useVerificationToken deletes the
 *   row as it reads it (single use).
 * No OAuth accounts: getUserByAccount finds nobody and linkAccount refuses.
 */

async function customerUser(customerId: string): Promise<AdapterUser | null> {
  const { rows } = await pool().query<{ id: string; name: string | null; email: string | null }>(
    `SELECT id, name, email FROM customers WHERE id = $1`,
    [customerId],
  );
  const row = rows[0];
  return row ? { id: row.id, name: row.name, email: row.email ?? "", emailVerified: null } : null;
}

export function portalAdapter(): Adapter {
  return {
    async createUser() {
      throw new Error("portal users are customers, created by their platform; sign-in never creates one");
    },
    getUser: (id) => customerUser(id),
    async getUserByEmail(identifier) {
      const identity = parseIdentity(identifier);
      const customer = identity && (await findCustomerByIdentity(identity));
      return customer ? { id: customer.id, name: customer.name, email: identifier, emailVerified: null } : null;
    },
    getUserByAccount: () => null,
    async updateUser(user) {
      // Nothing of a customer is owned by sign-in (emailVerified is not kept).
      const found = await customerUser(user.id);
      if (!found) throw new Error(`no customer ${user.id}`);
      return { ...found, email: user.email ?? found.email, emailVerified: user.emailVerified ?? null };
    },
    async linkAccount() {
      throw new Error("the portal has no OAuth accounts");
    },
    async createSession({ sessionToken, userId, expires }): Promise<AdapterSession> {
      await createPortalSession({ customerId: userId, sessionToken, expiresAt: expires });
      return { sessionToken, userId, expires };
    },
    async getSessionAndUser(sessionToken) {
      const session = await findPortalSession(sessionToken);
      const user = session && (await customerUser(session.customerId));
      if (!session || !user) return null;
      return { session: { sessionToken, userId: session.customerId, expires: session.expiresAt }, user };
    },
    async updateSession({ sessionToken, expires }) {
      if (expires) await extendPortalSession(sessionToken, expires);
      return null;
    },
    async deleteSession(sessionToken) {
      await deletePortalSession(sessionToken);
    },
    async createVerificationToken(token: VerificationToken) {
      // Nobody to sign in: store nothing, exactly as if the address were unknown.
      const identity = parseIdentity(token.identifier);
      if (!identity || !(await findCustomerByIdentity(identity))) return null;
      await pool().query(`DELETE FROM verification_tokens WHERE identifier = $1 AND expires < now()`, [token.identifier]);
      await pool().query(`INSERT INTO verification_tokens (identifier, token, expires) VALUES ($1, $2, $3)`, [
        token.identifier,
        token.token,
        token.expires,
      ]);
      return token;
    },
    async useVerificationToken({ identifier, token }) {
      // DELETE … RETURNING: of two concurrent uses, exactly one gets the row.
      const { rows } = await pool().query<VerificationToken>(
        `DELETE FROM verification_tokens WHERE token = $1 AND ($2::text IS NULL OR identifier = $2)
         RETURNING identifier, token, expires`,
        [token, identifier ?? null],
      );
      return rows[0] ?? null;
    },
  };
}
