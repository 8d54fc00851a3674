import type { z } from "zod";
import { ApiProblem } from "@/lib/api/problem";
import { wrap } from "@/lib/api/route";
import { env } from "@/lib/env";
import type { Tenant } from "@/lib/tenant";
import { getPortalSession, type PortalSession } from "./portal-auth";

type Schema = z.ZodType | undefined;

/** The portal's JSON bodies are a few dozen bytes. */
const PORTAL_MAX_BODY_BYTES = 16 * 1024;
type Output<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface PortalRequestContext<B, P, Q> {
  session: PortalSession;
  /** The session customer's platform and mode: every lookup is scoped to it. */
  tenant: Tenant;
  customerId: string;
  body: Output<B>;
  params: Output<P>;
  query: Output<Q>;
  request: Request;
}

/**
 * The wrapper of the portal's JSON routes (app/api/portal/**): apiRoute's core (`wrap` in
 * lib/api/route.ts) with the portal session instead of an API key. Request id, portal
 * session (401 without one), same-origin check on writes (403), params (404), query (422),
 * JSON body, then the handler with the session's customer, the only customer these routes
 * ever read. Errors are problem details; answers are never cached. No API key is involved:
 * the browser never holds one. Bodies are limited to PORTAL_MAX_BODY_BYTES (the portal
 * sends a top-up amount and an account), a declared length over it refused before the
 * session is looked up. It lives here, not in lib/, because the session comes from
 * next/headers' cookies().
 */
export function portalRoute<B extends Schema = undefined, P extends Schema = undefined, Q extends Schema = undefined>(
  options: { body?: B; params?: P; query?: Q; status?: number },
  handler: (ctx: PortalRequestContext<B, P, Q>) => Promise<object> | object,
) {
  const status = options.status ?? 200;
  return wrap(
    { body: options.body, params: options.params, query: options.query, status, maxBodyBytes: PORTAL_MAX_BODY_BYTES },
    admitPortalCustomer,
    async (ctx) => Response.json(await handler(ctx), { status, headers: { "Cache-Control": "private, no-store" } }),
  );
}

/** The session's customer and tenant, or 401; a write from another origin is 403. */
async function admitPortalCustomer(request: Request): Promise<{ session: PortalSession; tenant: Tenant; customerId: string }> {
  const session = await getPortalSession();
  if (!session) throw new ApiProblem(401, "unauthorized", "Sign in to the billing portal first.");
  if (request.method !== "GET" && request.method !== "HEAD") assertSameOrigin(request);
  return { session, tenant: { platformId: session.platformId, liveMode: session.liveMode }, customerId: session.customerId };
}

/**
 * Writes must come from the portal's own pages. The session cookie is SameSite=Lax (no
 * cross-site POST carries it) and bodies must be JSON; this is the third lock.
 */
function assertSameOrigin(request: Request): void {
  const origin = request.headers.get("origin");
  if (origin === null) return;
  const allowed = new Set([new URL(env().APP_URL).origin, new URL(request.url).origin]);
  if (!allowed.has(origin)) throw new ApiProblem(403, "forbidden", "Cross-origin requests are not allowed.");
}
