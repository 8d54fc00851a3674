import type { z } from "zod";
import { ApiProblem } from "@/lib/api/problem";
import { wrap } from "@/lib/api/route";
import { admitOperator, consoleCookieNames, type ConsoleContext } from "@/lib/console/operator-sessions";
import type { OperatorRole } from "@/lib/console/operator-roles";
import { env } from "@/lib/env";

type Schema = z.ZodType | undefined;
type Output<S> = S extends z.ZodType ? z.output<S> : undefined;

/** The console's JSON bodies are a few hundred bytes. */
const CONSOLE_MAX_BODY_BYTES = 16 * 1024;

export interface ConsoleRequestContext<B, P, Q> {
  console: ConsoleContext;
  body: Output<B>;
  params: Output<P>;
  query: Output<Q>;
  request: Request;
}

/** Whether the console's cookies carry the Secure flag and `__Host-` prefix (an https APP_URL). */
export function consoleCookiesSecure(): boolean {
  return env().APP_URL.startsWith("https://");
}

export function consoleCookies(): { session: string; mode: string; secure: boolean } {
  const secure = consoleCookiesSecure();
  return { ...consoleCookieNames(secure), secure };
}

/** A cookie's value from the request's Cookie header (no next/headers: the tests serve these routes without Next.js). */
export function requestCookie(request: Request, name: string): string | null {
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

/**
 * The wrapper of the console's JSON routes (app/api/console/**): apiRoute's core (`wrap`)
 * with the operator's session as its admission step. No session: 401; a role below
 * `least`: 403; a write from another origin: 403; then params, query and body parsed with
 * the API's own schemas (field errors as problem details), and the handler with the
 * operator's platform and mode, the only tenant it may touch: another platform's ids are
 * 404s from the domain functions themselves.
 */
export function consoleRoute<B extends Schema = undefined, P extends Schema = undefined, Q extends Schema = undefined>(
  least: OperatorRole,
  options: { body?: B; params?: P; query?: Q; status?: number },
  handler: (ctx: ConsoleRequestContext<B, P, Q>) => Promise<object> | object,
) {
  const status = options.status ?? 200;
  return wrap(
    { body: options.body, params: options.params, query: options.query, status, maxBodyBytes: CONSOLE_MAX_BODY_BYTES },
    async (request: Request) => ({ console: await admitConsoleRequest(request, least) }),
    async (ctx) => {
      const result = await handler(ctx);
      if (result instanceof Response) return result;
      return Response.json(result, { status, headers: { "Cache-Control": "private, no-store" } });
    },
  );
}

export async function admitConsoleRequest(request: Request, least: OperatorRole): Promise<ConsoleContext> {
  if (request.method !== "GET" && request.method !== "HEAD") assertSameOrigin(request);
  const names = consoleCookies();
  const admission = await admitOperator(
    { session: requestCookie(request, names.session), mode: requestCookie(request, names.mode) },
    least,
  );
  if (admission.kind === "unauthenticated") throw new ApiProblem(401, "unauthorized", "Sign in to the console first.");
  if (admission.kind === "forbidden") {
    throw new ApiProblem(403, "forbidden", `This needs the ${least} role; you are ${admission.context.operator.role}.`);
  }
  return admission.context;
}

/** Console writes come from the console's own pages (the cookies are SameSite=Lax too). */
function assertSameOrigin(request: Request): void {
  const origin = request.headers.get("origin");
  if (origin === null) return;
  const allowed = new Set([new URL(env().APP_URL).origin, new URL(request.url).origin]);
  if (!allowed.has(origin)) throw new ApiProblem(403, "forbidden", "Cross-origin requests are not allowed.");
}

/** A Set-Cookie value for one of the console's cookies (maxAge 0 clears it). */
export function setCookieHeader(name: string, value: string, maxAgeSeconds: number): string {
  const secure = consoleCookiesSecure() ? "; Secure" : "";
  return `${name}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure}`;
}
