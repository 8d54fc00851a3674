import { cookies } from "next/headers";
import { cache } from "react";
import { redirect } from "next/navigation";
import { findPortalSession, type PortalSession } from "@/lib/portal-access/portal-sessions";
import { sessionCookie } from "@/lib/portal-access/session-cookie";

/**
 * The portal's auth facade for server components and route handlers. next-auth issues
 * sessions (magic-link callback) and ends them (sign-out); /api/sign-in issues them for
 * redirect tokens. Reading one is the adapter's own lookup: the cookie's hash against
 * portal_sessions, joined to the customer for its platform and mode.
 */
export type { PortalSession } from "@/lib/portal-access/portal-sessions";

/** The signed-in customer's session, or null. Looked up once per server render (React cache). */
export const getPortalSession = cache(async (): Promise<PortalSession | null> => {
  const token = (await cookies()).get(sessionCookie().name)?.value;
  return token ? findPortalSession(token) : null;
});

/** For pages: the session, or a redirect to the page that explains how to sign in. */
export async function requirePortalCustomer(): Promise<PortalSession> {
  const session = await getPortalSession();
  if (!session) redirect("/sign-in");
  return session;
}
