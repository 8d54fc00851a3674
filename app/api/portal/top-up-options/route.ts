import { portalRoute } from "@/app/_server/portal-route";
import { listTopUpOptions } from "@/lib/portal/portal-top-up";
import { allowedMethods, methodNotAllowed } from "@/lib/api/fallback";

export const GET = portalRoute({}, async ({ tenant, customerId }) => ({ items: await listTopUpOptions(tenant, customerId) }));

const notAllowed = methodNotAllowed(["GET"]);
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = allowedMethods(["GET"]);
