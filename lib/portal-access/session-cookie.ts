import { createHash, randomBytes } from "node:crypto";
import { env } from "@/lib/env";

/**
 * The portal's session cookie, shared by next-auth (magic-link callback, sign-out) and by
 * the redirect-token route (`/api/sign-in`), which creates sessions itself: both must
 * agree on the name and attributes, so next-auth's options are built from this too.
 * The cookie holds a random session token; the database keeps only its SHA-256
 * (`portal_sessions.token_hash`), so a copy of the table cannot be replayed as a cookie.
 */

/** Portal sessions last a fixed 12 hours; sign-out or revocation ends them sooner. */
export const PORTAL_SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

/** The origin next-auth builds its links and callback URLs from. */
export function authBaseUrl(): string {
  const e = env();
  return e.NEXTAUTH_URL ?? e.APP_URL;
}

export interface SessionCookie {
  name: string;
  options: { httpOnly: true; sameSite: "lax"; path: "/"; secure: boolean };
}

/** next-auth's default naming: `__Secure-` prefix (and the Secure flag) on https. */
export function sessionCookie(): SessionCookie {
  const secure = authBaseUrl().startsWith("https://");
  return {
    name: `${secure ? "__Secure-" : ""}next-auth.session-token`,
    options: { httpOnly: true, sameSite: "lax", path: "/", secure },
  };
}

export function newSessionToken(): string {
  return randomBytes(32).toString("base64url");
}

export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}
