import { env } from "@/lib/env";
import { clientAddress } from "@/lib/http/client-address";
import { encodeIdentity, parseIdentity } from "./magic-link-identity";
import { consumeSignInRateLimit } from "./sign-in-rate-limit";
import { authBaseUrl } from "./session-cookie";

/**
 * The magic-link request as the sign-in form sends it to next-auth
 * (`POST /api/auth/signin/email`, form-encoded: email, platform, mode, csrfToken,
 * callbackUrl, json) rewritten for next-auth: `email` becomes the identifier
 * `plat_…:mode:address` and the send is charged to the rate limits first.
 * Returns the new form body, or the response to give instead (a refused address or a
 * rate limit), shaped like next-auth's own answers so its client handles them.
 */
export async function prepareMagicLinkRequest(
  form: URLSearchParams,
  headers: Headers,
): Promise<{ body: URLSearchParams } | { response: Response }> {
  const wantsJson = form.get("json") === "true";
  const fail = (error: string, status: number, extra: Record<string, string> = {}): { response: Response } => {
    const url = new URL("/sign-in/error", authBaseUrl());
    url.searchParams.set("error", error);
    return {
      response: wantsJson
        ? Response.json({ url: url.toString() }, { status, headers: extra })
        : new Response(null, { status: 303, headers: { ...extra, Location: url.toString() } }),
    };
  };

  let identifier: string;
  try {
    identifier = encodeIdentity({
      platformId: form.get("platform") ?? "",
      liveMode: form.get("mode") !== "test",
      email: form.get("email") ?? "",
    });
  } catch {
    return fail("EmailSignin", 400);
  }
  const identity = parseIdentity(identifier);
  if (!identity) return fail("EmailSignin", 400);

  // The per-IP budget is charged to the socket's peer, or as far up X-Forwarded-For as
  // the operator's own proxies go (TRUST_PROXY_HOPS); a client-sent value changes nothing.
  const limit = await consumeSignInRateLimit(identity.email, clientAddress(headers, env().TRUST_PROXY_HOPS));
  if (!limit.allowed) return fail("RateLimited", 429, { "Retry-After": String(limit.retryAfterSeconds) });

  const body = new URLSearchParams(form);
  body.set("email", identifier);
  body.delete("platform");
  body.delete("mode");
  return { body };
}
