import { problems, renderProblem, type ApiProblem } from "./problem";
import { newRequestId } from "./request-id";
import type { RouteHandler } from "./route";

/**
 * A handler that answers a refusal for a method or path the app does not serve. It carries
 * the methods its path does serve (`[]`: no such path), so server/api-router.ts leaves it
 * out of `Allow` and answers the same problem for methods no route file can export
 * (PROPFIND): a plain property, because the router runs from source (tsx) while the
 * handlers it inspects in production are the build's compiled ones, made by the build's
 * copy of this file (a symbol or a WeakSet of this copy would not know them).
 */
export type FallbackHandler = RouteHandler & { fallbackFor: readonly string[] };

function fallback(allow: readonly string[], handler: RouteHandler): FallbackHandler {
  return Object.assign(handler, { fallbackFor: allow });
}

/** Answers `problem` without reading the request: no key, no body limit, nothing to parse. */
function refuse(allow: readonly string[], problem: () => ApiProblem): FallbackHandler {
  return fallback(allow, async () => renderProblem(problem(), newRequestId()));
}

export function isFallback(handler: unknown): handler is FallbackHandler {
  return typeof handler === "function" && Array.isArray((handler as Partial<FallbackHandler>).fallbackFor);
}

function notFound(detail: string): FallbackHandler {
  return refuse([], () => problems.notFound(detail));
}

/** For `app/api/v1/[...unknown]`: a JSON 404 problem instead of Next's HTML page, whatever the method. */
export const unknownEndpoint = notFound("No such API endpoint. See /api/v1/openapi.json.");

/** For `app/api/[...unknown]`: the same for any other path under /api. */
export const unknownApiPath = notFound("No such API endpoint.");

/**
 * Next.js answers a method a route file does not export with an empty 405; export this
 * for the missing methods to answer a problem with `Allow` instead:
 * `export const DELETE = methodNotAllowed(["GET", "POST"]);`
 */
export function methodNotAllowed(allow: string[]): FallbackHandler {
  return refuse(allow, () => problems.methodNotAllowed(allow));
}

/**
 * `OPTIONS` for a route file that exports `methodNotAllowed` handlers: Next.js would list
 * those in its automatic `Allow`, as if the path served them.
 */
export function allowedMethods(allow: string[]): FallbackHandler {
  return fallback(allow, async () => new Response(null, { status: 204, headers: { Allow: withAutomatic(allow).join(", ") } }));
}

/** `Allow` as Next.js completes it: HEAD wherever GET is served, OPTIONS always. */
export function withAutomatic(allow: readonly string[]): string[] {
  const out = [...allow];
  if (out.includes("GET") && !out.includes("HEAD")) out.push("HEAD");
  if (!out.includes("OPTIONS")) out.push("OPTIONS");
  return out;
}
