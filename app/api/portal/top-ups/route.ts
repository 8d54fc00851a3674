import { paginationQuery } from "@/lib/api/pagination";
import { portalTopUpBody } from "@/lib/api/schemas/portal";
import { listPortalTopUps } from "@/lib/portal/portal-history";
import { portalRoute } from "@/app/_server/portal-route";
import { startPortalTopUp } from "@/lib/portal/portal-top-up";
import { allowedMethods, methodNotAllowed } from "@/lib/api/fallback";

export const GET = portalRoute({ query: paginationQuery }, ({ tenant, customerId, query }) => listPortalTopUps(tenant, customerId, query));

export const POST = portalRoute({ body: portalTopUpBody, status: 201 }, ({ tenant, customerId, body }) =>
  startPortalTopUp(tenant, customerId, body),
);

const notAllowed = methodNotAllowed(["GET", "POST"]);
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = allowedMethods(["GET", "POST"]);
