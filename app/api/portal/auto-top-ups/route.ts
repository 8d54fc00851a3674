import { portalRoute } from "@/app/_server/portal-route";
import { listPortalAutoTopUps } from "@/lib/portal/portal-auto-top-up";
import { allowedMethods, methodNotAllowed } from "@/lib/api/fallback";

export const GET = portalRoute({}, async ({ tenant, customerId }) => ({ items: await listPortalAutoTopUps(tenant, customerId) }));

const notAllowed = methodNotAllowed(["GET"]);
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = allowedMethods(["GET"]);
