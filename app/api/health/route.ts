import { allowedMethods, methodNotAllowed } from "@/lib/api/fallback";
import { publicApiRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

/**
 * Liveness for process managers and orchestrators: the process is up and serving HTTP.
 * Touches nothing else (a database outage must not get a live process restarted; that is
 * what /api/ready reports). Unauthenticated; says nothing but that.
 */
export const GET = publicApiRoute({ maxBodyBytes: 0 }, () =>
  Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } }),
);

const notAllowed = methodNotAllowed(["GET"]);
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = allowedMethods(["GET"]);
