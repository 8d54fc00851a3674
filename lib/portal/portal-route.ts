import type { z } from "zod";
import { getPortalSession, type PortalSession } from "@/lib/auth/portal-auth";
import type { Tenant } from "@/lib/tenant";
import { env } from "@/lib/env";
import { assertDeclaredLength } from "@/lib/api/body";
import { parseBody, parseParams, parseQuery } from "@/lib/api/input";
import { ApiProblem } from "@/lib/api/problem";
import { newRequestId, withRequestId } from "@/lib/api/request-id";
import { errorResponse, type RouteHandler } from "@/lib/api/route";

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
 * The wrapper of the portal's JSON routes (app/api/portal/**), the session counterpart of
 * apiRoute: request id, portal session (401 without one), same-origin check on writes
 * (403), params (404), query (422), JSON body, then the handler with the session's
 * customer, the only customer these routes ever read. Errors are problem details; answers
 * are never cached. No API key is involved: the browser never holds one. Bodies are
 * limited to PORTAL_MAX_BODY_BYTES (the portal sends a top-up amount and an account), a
 * declared length over it refused before the session is looked up.
 */
export function portalRoute<B extends Schema = undefined, P extends Schema = undefined, Q extends Schema = undefined>(
  options: { body?: B; params?: P; query?: Q; status?: number },
  handler: (ctx: PortalRequestContext<B, P, Q>) => Promise<object> | object,
): RouteHandler {
  const handle: RouteHandler = async (request, context) => {
    const requestId = newRequestId();
    try {
      assertDeclaredLength(request, PORTAL_MAX_BODY_BYTES);
      const session = await getPortalSession();
      if (!session) throw new ApiProblem(401, "unauthorized", "Sign in to the billing portal first.");
      if (request.method !== "GET" && request.method !== "HEAD") assertSameOrigin(request);
      const params = (options.params ? await parseParams(options.params, context?.params) : undefined) as Output<P>;
      const query = (options.query ? await parseQuery(options.query, request.url) : undefined) as Output<Q>;
      const body = (options.body ? await parseBody(options.body, request, PORTAL_MAX_BODY_BYTES) : undefined) as Output<B>;
      const tenant = { platformId: session.platformId, liveMode: session.liveMode };
      const result = await handler({ session, tenant, customerId: session.customerId, body, params, query, request });
      return withRequestId(
        Response.json(result, { status: options.status ?? 200, headers: { "Cache-Control": "private, no-store" } }),
        requestId,
      );
    } catch (error) {
      return errorResponse(error, requestId);
    }
  };
  return Object.assign(handle, { maxBodyBytes: PORTAL_MAX_BODY_BYTES });
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
