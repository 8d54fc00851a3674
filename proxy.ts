import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { contentSecurityPolicy, newNonce } from "@/lib/http/security-headers";

/**
 * Next.js Proxy (formerly middleware): gives every page a Content-Security-Policy with a
 * fresh nonce, the documented Next.js way (node_modules/next/dist/docs, "Content Security
 * Policy"): the policy goes on the request, where Next.js reads the nonce and puts it on
 * its own scripts and styles, and on the response. Pages are therefore rendered per
 * request (app/layout.tsx waits for `connection()`). The other security headers come from
 * next.config.ts (every answer) and server/main.ts (`/api/v1`, HSTS).
 *
 * `/api/v1` reaches it only under `next dev` (the production server routes it before
 * Next.js): there it answers a method the path does not serve with the same 405 problem
 * as the production router, instead of Next.js's empty 405. The declared operations are
 * imported on that path only, so pages never load the API's schemas.
 */
export async function proxy(request: NextRequest): Promise<Response> {
  if (request.nextUrl.pathname.startsWith("/api/v1/")) {
    const { refuseUndeclaredMethod } = await import("@/lib/api/method-check");
    return refuseUndeclaredMethod(request.method, request.nextUrl.pathname) ?? NextResponse.next();
  }
  const { APP_URL, STRIPE_SECRET_KEY, STRIPE_EMULATOR_URL } = env();
  const policy = contentSecurityPolicy({
    nonce: newNonce(),
    development: process.env.NODE_ENV === "development",
    appUrl: APP_URL,
    checkoutUrl: STRIPE_SECRET_KEY ? "https://checkout.stripe.com" : STRIPE_EMULATOR_URL,
  });
  const headers = new Headers(request.headers);
  headers.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", policy);
  return response;
}

export const config = {
  matcher: [
    "/api/v1/:path+",
    {
      // Pages only: not the API (`/api/v1` never reaches Next.js in production, and the
      // JSON routes need no CSP), not static assets, and not router prefetches.
      source: "/((?!api/|_next/static|_next/image|favicon.ico|icon.svg).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
