import { portalRoute } from "@/app/_server/portal-route";
import { listPortalCards, startPortalCardSetup } from "@/lib/portal/portal-cards";
import { allowedMethods, methodNotAllowed } from "@/lib/api/fallback";

export const GET = portalRoute({}, async ({ tenant, customerId }) => ({ items: await listPortalCards(tenant, customerId) }));

/** Starts Stripe's setup Checkout for a new card: `{ redirect_url }`. */
export const POST = portalRoute({ status: 201 }, ({ tenant, customerId }) => startPortalCardSetup(tenant, customerId));

const notAllowed = methodNotAllowed(["GET", "POST"]);
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = allowedMethods(["GET", "POST"]);
