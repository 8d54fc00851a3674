import { getPortalOverview } from "@/lib/portal/portal-overview";
import { portalRoute } from "@/app/_server/portal-route";
import { allowedMethods, methodNotAllowed } from "@/lib/api/fallback";

export const GET = portalRoute({}, ({ tenant, customerId }) => getPortalOverview(tenant, customerId));

const notAllowed = methodNotAllowed(["GET"]);
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = allowedMethods(["GET"]);
