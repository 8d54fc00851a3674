import { portalTopUpParams } from "@/lib/api/schemas/portal";
import { portalRoute } from "@/app/_server/portal-route";
import { getPortalTopUpResult } from "@/lib/portal/portal-top-up";
import { allowedMethods, methodNotAllowed } from "@/lib/api/fallback";

export const GET = portalRoute({ params: portalTopUpParams }, ({ tenant, customerId, params }) =>
  getPortalTopUpResult(tenant, customerId, params.id),
);

const notAllowed = methodNotAllowed(["GET"]);
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = allowedMethods(["GET"]);
