import type { AuthOptions } from "next-auth";
import EmailProvider from "next-auth/providers/email";
import { authSecret, env } from "@/lib/env";
import { encodeIdentity, normalizeEmail, parseIdentity } from "./magic-link-identity";
import { MAGIC_LINK_MAX_AGE_SECONDS, sendMagicLink } from "./magic-link-email";
import { portalAdapter } from "./portal-adapter";
import { newSessionToken, PORTAL_SESSION_MAX_AGE_SECONDS, sessionCookie } from "./session-cookie";

/**
 * next-auth for the billing portal: the email provider only (magic links), database
 * sessions in portal_sessions (revocable), users = customers (portal-adapter.ts).
 * Sessions are fixed-length (updateAge = maxAge): the portal reads sessions in server
 * components, which cannot refresh a cookie, so a sliding expiry would drift from it.
 */
let cached: AuthOptions | undefined;

export function authOptions(): AuthOptions {
  if (cached) return cached;
  // next-auth reads its origin from process.env itself; default it to APP_URL.
  process.env.NEXTAUTH_URL ??= env().NEXTAUTH_URL ?? env().APP_URL;
  const cookie = sessionCookie();
  cached = {
    secret: authSecret(),
    adapter: portalAdapter(),
    session: {
      strategy: "database",
      maxAge: PORTAL_SESSION_MAX_AGE_SECONDS,
      updateAge: PORTAL_SESSION_MAX_AGE_SECONDS,
      generateSessionToken: newSessionToken,
    },
    cookies: { sessionToken: { name: cookie.name, options: cookie.options } },
    providers: [
      EmailProvider({
        maxAge: MAGIC_LINK_MAX_AGE_SECONDS,
        from: env().EMAIL_FROM,
        // The sign-in route (app/api/auth/[...nextauth]) turns the form's platform, mode
        // and address into the identifier; anything else is refused here.
        normalizeIdentifier(identifier) {
          const identity = parseIdentity(identifier);
          if (!identity) throw new Error("Invalid sign-in identifier.");
          return encodeIdentity({ ...identity, email: normalizeEmail(identity.email) });
        },
        sendVerificationRequest: ({ identifier, url }) => sendMagicLink({ identifier, url }),
      }),
    ],
    pages: {
      signIn: "/sign-in",
      verifyRequest: "/sign-in/check-email",
      error: "/sign-in/error",
    },
    callbacks: {
      // Sending: answer the same whether or not the address is a customer (no account
      // enumeration); nothing is sent or stored for an unknown one (magic-link-email.ts).
      // Completing: only a user the adapter resolved to a customer may sign in.
      signIn: ({ user, email }) => Boolean(email?.verificationRequest) || user.id.startsWith("cust_"),
      session: ({ session, user }) => ({ ...session, customerId: user.id }),
    },
  };
  return cached;
}
