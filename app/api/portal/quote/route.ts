import { portalQuoteQuery } from "@/lib/api/schemas/portal";
import { portalRoute } from "@/app/_server/portal-route";
import { quotePortalTopUp } from "@/lib/portal/portal-top-up";
import { allowedMethods, methodNotAllowed } from "@/lib/api/fallback";

export const GET = portalRoute({ query: portalQuoteQuery }, ({ tenant, query }) => quotePortalTopUp(tenant, query.account_id, query.amount));

const notAllowed = methodNotAllowed(["GET"]);
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = allowedMethods(["GET"]);
