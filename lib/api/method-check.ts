import { withAutomatic } from "./fallback";
import { apiOperations } from "./operations";
import { problems, renderProblem } from "./problem";
import { newRequestId } from "./request-id";

/**
 * The 405 of a method an `/api/v1` path does not serve, from the declared operations:
 * a problem naming the methods it does (`Allow`, as server/api-router.ts answers it).
 * The production server's router answers these itself; under `next dev` the route files
 * (which export only the methods they serve) go through Next.js, whose own 405 is an empty
 * body, so proxy.ts asks this first.
 */
export function refuseUndeclaredMethod(method: string, pathname: string): Response | null {
  if (method === "HEAD" || method === "OPTIONS") return null;
  const path = routes.find((r) => r.pattern.test(pathname.slice(PREFIX.length)));
  if (!path || path.methods.includes(method)) return null;
  return renderProblem(problems.methodNotAllowed(withAutomatic(path.methods)), newRequestId());
}

const PREFIX = "/api/v1";

/**
 * Each declared path with its methods, static segments before parameters as the App
 * Router ranks them (`/customers/{id}/wallet/adjustments` before `…/wallet/{account_id}`).
 */
const routes = (() => {
  const byPath = new Map<string, string[]>();
  for (const op of apiOperations) byPath.set(op.path, [...(byPath.get(op.path) ?? []), op.method.toUpperCase()]);
  const rank = (path: string) => path.split("/").map((s) => (s.startsWith("{") ? "1" : "0")).join("");
  // In the router's order (GET, POST, PUT, PATCH, DELETE), so `Allow` reads the same.
  const order = ["GET", "POST", "PUT", "PATCH", "DELETE"];
  return [...byPath]
    .sort(([a], [b]) => rank(a).localeCompare(rank(b)))
    .map(([path, methods]) => ({
      methods: methods.sort((a, b) => order.indexOf(a) - order.indexOf(b)),
      pattern: new RegExp(`^${path.replace(/[.]/g, "\\.").replace(/\{\w+\}/g, "[^/]+")}$`),
    }));
})();
