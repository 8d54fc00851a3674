import { allowedMethods, methodNotAllowed } from "@/lib/api/fallback";
import { ApiProblem } from "@/lib/api/problem";
import { publicApiRoute } from "@/lib/api/route";
import { moduleGraphs } from "@/lib/db";
import { checkReadiness } from "@/lib/observability/check-readiness";

export const dynamic = "force-dynamic";

/** How soon an orchestrator or load balancer should ask again. */
const RETRY_AFTER_SECONDS = 5;

/**
 * Readiness: 200 `{ status: "ready", checks }` when the database answers, its migrations
 * are current and the job worker runs (when JOBS_IN_PROCESS says it should); otherwise a
 * 503 `not_ready` problem with the same checks and Retry-After, so traffic goes elsewhere
 * until it passes. Unauthenticated; the checks are single words (lib/observability/check-readiness.ts).
 */
export const GET = publicApiRoute({ maxBodyBytes: 0 }, async () => {
  const { ready, checks } = await checkReadiness();
  if (!ready) {
    throw new ApiProblem(503, "not_ready", "This instance cannot serve requests yet; see checks.", [], { "Retry-After": String(RETRY_AFTER_SECONDS), "Cache-Control": "no-store" }, { checks });
  }
  // module_graphs: a diagnostic, the copies of lib/ this process loaded (docs/ARCHITECTURE.md).
  return Response.json({ status: "ready", checks, module_graphs: moduleGraphs() }, { headers: { "Cache-Control": "no-store" } });
});

const notAllowed = methodNotAllowed(["GET"]);
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = allowedMethods(["GET"]);
