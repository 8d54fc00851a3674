import { portalCardParams } from "@/lib/api/schemas/portal";
import { portalRoute } from "@/app/_server/portal-route";
import { removePortalCard } from "@/lib/portal/portal-cards";
import { allowedMethods, methodNotAllowed } from "@/lib/api/fallback";

export const DELETE = portalRoute({ params: portalCardParams }, async ({ tenant, customerId, params }) => {
  await removePortalCard(tenant, customerId, params.id);
  return { id: params.id, deleted: true };
});

const notAllowed = methodNotAllowed(["DELETE"]);
export const GET = notAllowed;
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const OPTIONS = allowedMethods(["DELETE"]);
