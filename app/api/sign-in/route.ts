import { cookies } from "next/headers";
import { NextResponse } from "next/server";
import { withBodyLimit } from "@/lib/api/body";
import { allowedMethods, methodNotAllowed } from "@/lib/api/fallback";
import { sessionCookie } from "@/lib/portal-access/session-cookie";
import { signInWithRedirectToken } from "@/lib/portal-access/redirect-sign-in";

export const dynamic = "force-dynamic";

/** The redirect is a GET with no body: a declared one larger than a form is refused unread. */
const MAX_BODY_BYTES = 8 * 1024;

/** The `redirect_url` of portal sessions and top-ups: sign in with the token, then continue. */
export const GET = withBodyLimit(MAX_BODY_BYTES, async (request: Request): Promise<Response> => {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const cookie = sessionCookie();
  const previous = (await cookies()).get(cookie.name)?.value;
  const result = await signInWithRedirectToken(token, previous);
  const response = NextResponse.redirect(result.location, 303);
  response.headers.set("Cache-Control", "no-store");
  response.headers.set("Referrer-Policy", "no-referrer");
  if (result.signedIn) response.cookies.set(cookie.name, result.sessionToken, { ...cookie.options, expires: result.expiresAt });
  return response;
});

const notAllowed = methodNotAllowed(["GET"]);
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = allowedMethods(["GET"]);
