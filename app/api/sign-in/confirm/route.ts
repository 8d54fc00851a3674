import { readTextBody, withBodyLimit } from "@/lib/api/body";
import { allowedMethods, methodNotAllowed } from "@/lib/api/fallback";
import { authBaseUrl } from "@/lib/portal-access/session-cookie";

/** The confirm form is a token, an email address and a callback URL: a few hundred bytes. */
const MAX_BODY_BYTES = 8 * 1024;

/**
 * The button of /sign-in/confirm posts here; the answer sends the browser on to
 * next-auth's email callback, which uses the token up and sets the session cookie.
 * Only a POST gets this far: link scanners fetch the emailed page, they do not submit it.
 */
export const POST = withBodyLimit(MAX_BODY_BYTES, async (request: Request): Promise<Response> => {
  const form = new URLSearchParams(await readTextBody(request, MAX_BODY_BYTES));
  const callback = new URL("/api/auth/callback/email", authBaseUrl());
  for (const key of ["token", "email", "callbackUrl"]) {
    const value = form.get(key);
    if (value) callback.searchParams.set(key, value);
  }
  return new Response(null, {
    status: 303,
    headers: { Location: callback.toString(), "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" },
  });
});

const notAllowed = methodNotAllowed(["POST"]);
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = allowedMethods(["POST"]);
