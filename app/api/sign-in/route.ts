import { cookies } from "next/headers";
import { NextResponse } from "next/server";
import { sessionCookie } from "@/lib/auth/session-cookie";
import { signInWithRedirectToken } from "@/lib/portal/redirect-sign-in";

export const dynamic = "force-dynamic";

/** The `redirect_url` of portal sessions and top-ups: sign in with the token, then continue. */
export async function GET(request: Request): Promise<Response> {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const cookie = sessionCookie();
  const previous = (await cookies()).get(cookie.name)?.value;
  const result = await signInWithRedirectToken(token, previous);
  const response = NextResponse.redirect(result.location, 303);
  response.headers.set("Cache-Control", "no-store");
  response.headers.set("Referrer-Policy", "no-referrer");
  if (result.signedIn) response.cookies.set(cookie.name, result.sessionToken, { ...cookie.options, expires: result.expiresAt });
  return response;
}
