import { problems } from "./problem";
import { publicApiRoute, type RouteHandler } from "./route";

/** For `app/api/v1/[...unknown]`: a JSON 404 problem instead of Next's HTML page. */
export const unknownEndpoint: RouteHandler = publicApiRoute({}, () => {
  throw problems.notFound("No such API endpoint. See /api/v1/openapi.json.");
});

/**
 * Next.js answers a method a route file does not export with an empty 405; export this
 * for the missing methods to answer a problem with `Allow` instead:
 * `export const DELETE = methodNotAllowed(["GET", "POST"]);`
 */
export function methodNotAllowed(allow: string[]): RouteHandler {
  return publicApiRoute({}, () => {
    throw problems.methodNotAllowed(allow);
  });
}
