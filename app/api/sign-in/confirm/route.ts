import { authBaseUrl } from "@/lib/auth/session-cookie";

/**
 * The button of /sign-in/confirm posts here; the answer sends the browser on to
 * next-auth's email callback, which uses the token up and sets the session cookie.
 * Only a POST gets this far: link scanners fetch the emailed page, they do not submit it.
 */
export async function POST(request: Request): Promise<Response> {
  const form = new URLSearchParams(await request.text());
  const callback = new URL("/api/auth/callback/email", authBaseUrl());
  for (const key of ["token", "email", "callbackUrl"]) {
    const value = form.get(key);
    if (value) callback.searchParams.set(key, value);
  }
  return new Response(null, {
    status: 303,
    headers: { Location: callback.toString(), "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" },
  });
}
