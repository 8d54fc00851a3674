import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { readTextBody, withBodyLimit } from "@/lib/api/body";
import { allowedMethods, methodNotAllowed } from "@/lib/api/fallback";
import { problems, renderProblem } from "@/lib/api/problem";
import { newRequestId } from "@/lib/api/request-id";
import { authOptions } from "@/lib/portal-access/auth-options";
import { prepareMagicLinkRequest } from "@/lib/portal-access/magic-link-request";

type Context = { params: Promise<{ nextauth: string[] }> };

/** next-auth's forms (sign-in, sign-out, CSRF token, callback URL) are a few hundred bytes. */
const MAX_BODY_BYTES = 8 * 1024;

/**
 * The actions next-auth 4 serves, by method (next-auth/core): any other path is a 404
 * problem and a known one with another method a 405, instead of next-auth's plain-text 400.
 */
const ACTIONS: Record<string, string[]> = {
  providers: ["GET"],
  csrf: ["GET"],
  "verify-request": ["GET"],
  error: ["GET"],
  session: ["GET", "POST"],
  signin: ["GET", "POST"],
  signout: ["GET", "POST"],
  callback: ["GET", "POST"],
  _log: ["POST"],
};

async function refusal(request: Request, context: Context): Promise<Response | null> {
  const [action = ""] = (await context.params).nextauth;
  const allow = Object.hasOwn(ACTIONS, action) ? ACTIONS[action]! : [];
  if (allow.includes(request.method === "HEAD" ? "GET" : request.method)) return null;
  const problem = allow.length === 0 ? problems.notFound("No such sign-in endpoint.") : problems.methodNotAllowed(allow);
  return renderProblem(problem, newRequestId());
}

export const GET = withBodyLimit(
  MAX_BODY_BYTES,
  async (request: NextRequest, context: Context): Promise<Response> =>
    (await refusal(request, context)) ?? NextAuth(request, context, authOptions()),
);

/**
 * next-auth reads whatever body it is given, so every POST is read here first, up to
 * MAX_BODY_BYTES (a 413 problem past it), and handed on as a rebuilt request. A magic-link
 * request is also rate-limited and scoped to its platform first.
 */
export const POST = withBodyLimit(MAX_BODY_BYTES, async (request: NextRequest, context: Context): Promise<Response> => {
  const refused = await refusal(request, context);
  if (refused) return refused;
  const { nextauth } = await context.params;
  const body = await readTextBody(request, MAX_BODY_BYTES);
  const headers = new Headers(request.headers);
  headers.delete("content-length");
  if (nextauth[0] !== "signin" || nextauth[1] !== "email") {
    return NextAuth(new NextRequest(request.url, { method: "POST", headers, body }), context, authOptions());
  }

  const prepared = await prepareMagicLinkRequest(new URLSearchParams(body), request.headers);
  if ("response" in prepared) return prepared.response;
  headers.set("content-type", "application/x-www-form-urlencoded");
  const rewritten = new NextRequest(request.url, { method: "POST", headers, body: prepared.body });
  return NextAuth(rewritten, context, authOptions());
});

const notAllowed = methodNotAllowed(["GET", "POST"]);
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = allowedMethods(["GET", "POST"]);
