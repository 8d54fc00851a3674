import { paginationQuery } from "@/lib/api/pagination";
import { listPortalCreditGrants } from "@/lib/portal/portal-history";
import { portalRoute } from "@/app/_server/portal-route";
import { allowedMethods, methodNotAllowed } from "@/lib/api/fallback";

export const GET = portalRoute({ query: paginationQuery }, ({ tenant, customerId, query }) =>
  listPortalCreditGrants(tenant, customerId, query),
);

const notAllowed = methodNotAllowed(["GET"]);
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = allowedMethods(["GET"]);
