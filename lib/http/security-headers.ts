/**
 * The browser-facing security headers, in one place for the three layers that send them:
 * next.config.ts (every answer Next.js gives: pages, assets, portal and auth routes),
 * proxy.ts (the per-request Content-Security-Policy of pages) and server/main.ts (the
 * `/api/v1` answers it serves without Next.js, and HSTS). See docs/api-reference.md,
 * "Security headers".
 */

/** On every answer: no MIME sniffing, and no framing by anyone (CSP's frame-ancestors for old browsers). */
export const BASELINE_SECURITY_HEADERS = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
] as const;

export const DEFAULT_REFERRER_POLICY = "strict-origin-when-cross-origin";
/** For URLs that carry a single-use token: the next page must not learn it from `Referer`. */
export const TOKEN_REFERRER_POLICY = "no-referrer";

/**
 * Paths (next.config.ts `source` patterns) whose URLs carry a sign-in token: portal
 * redirect links, the emailed confirmation page, and next-auth's email callback. Any other
 * URL with a `token` query parameter gets the same policy (next.config.ts).
 */
export const TOKEN_BEARING_PATHS = ["/api/sign-in", "/api/sign-in/:path*", "/sign-in/confirm", "/api/auth/callback/:path*"] as const;

export interface ContentSecurityPolicyOptions {
  /** Fresh per request, base64, at least 128 random bits. */
  nonce: string;
  /** `next dev`: React needs `eval` for its debugging aids and Next's overlay inline styles. */
  development: boolean;
  /** APP_URL: sign-in forms post to it (and redirect through it) even when the page was opened under another host name. */
  appUrl: string;
  /** Where top-ups pay: Stripe Checkout, or the local emulator. */
  checkoutUrl: string;
}

/**
 * A strict policy for pages: scripts only with this request's nonce (Next.js puts it on its
 * own scripts, read from the request's CSP header) and what they load ('strict-dynamic');
 * no `unsafe-inline` for scripts. Style elements need the nonce as well; style attributes
 * are allowed (`style-src-attr`) because server-rendered markup carries some (the
 * platform's brand colour as a CSS variable). Images may also come from any https origin:
 * the portal shows the platform's logo from the URL its owner set (the browser loads it;
 * the server never fetches it), and which origin that is only the platform's row knows.
 * Fonts stay limited to the app. Nothing may frame a page, forms post only to the app and
 * Checkout, and `<base>` and plugins are off.
 */
export function contentSecurityPolicy(options: ContentSecurityPolicyOptions): string {
  const { nonce, development } = options;
  const formActions = new Set(["'self'", new URL(options.appUrl).origin, new URL(options.checkoutUrl).origin]);
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    development ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob: https:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    `form-action ${[...formActions].join(" ")}`,
    "frame-ancestors 'none'",
  ];
  if (new URL(options.appUrl).protocol === "https:") directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}

/** HSTS for an app served over https (APP_URL); none over plain http, where browsers ignore it anyway. */
export function strictTransportSecurity(appUrl: string): string | null {
  return new URL(appUrl).protocol === "https:" ? "max-age=31536000; includeSubDomains" : null;
}

/** A fresh CSP nonce: 128 random bits, base64 (Web Crypto, so it runs wherever the proxy runs). */
export function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}
