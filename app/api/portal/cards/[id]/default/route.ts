import { portalCardParams } from "@/lib/api/schemas/portal";
import { portalRoute } from "@/app/_server/portal-route";
import { makePortalCardDefault } from "@/lib/portal/portal-cards";
import { allowedMethods, methodNotAllowed } from "@/lib/api/fallback";

/** Makes the card the customer's default. */
export const POST = portalRoute({ params: portalCardParams }, ({ tenant, customerId, params }) => makePortalCardDefault(tenant, customerId, params.id));

const notAllowed = methodNotAllowed(["POST"]);
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = allowedMethods(["POST"]);
