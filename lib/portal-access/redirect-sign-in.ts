import { env } from "@/lib/env";
import { createPortalSession, deletePortalSession } from "./portal-sessions";
import { consumeRedirectToken, failureUrlOfRedirectToken } from "./redirect-tokens";

export const LINK_EXPIRED_PATH = "/sign-in/link-expired";

export type RedirectSignIn =
  | { signedIn: true; location: string; sessionToken: string; expiresAt: Date }
  | { signedIn: false; location: string };

/**
 * `/api/sign-in?token=…`: uses the redirect token up and opens a portal session for its
 * customer, replacing (and deleting) any session the browser had, so one browser is
 * signed in as one customer at a time. Continues to the token's target: a portal path
 * or a Checkout URL. An unknown, expired or used token signs nobody in and continues to
 * the token's failure_url, or to the page that explains what happened.
 */
export async function signInWithRedirectToken(token: string, previousSessionToken?: string): Promise<RedirectSignIn> {
  const appUrl = env().APP_URL;
  const consumed = await consumeRedirectToken(token);
  if (!consumed) {
    const failureUrl = await failureUrlOfRedirectToken(token);
    return { signedIn: false, location: failureUrl ?? new URL(LINK_EXPIRED_PATH, appUrl).toString() };
  }
  if (previousSessionToken) await deletePortalSession(previousSessionToken);
  const session = await createPortalSession({ customerId: consumed.customerId, returnUrl: consumed.returnUrl });
  return {
    signedIn: true,
    location: new URL(consumed.target, appUrl).toString(),
    sessionToken: session.sessionToken,
    expiresAt: session.expiresAt,
  };
}
