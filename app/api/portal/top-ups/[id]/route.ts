import { portalTopUpParams } from "@/lib/api/schemas/portal";
import { portalRoute } from "@/lib/portal/portal-route";
import { getPortalTopUpResult } from "@/lib/portal/portal-top-up";

export const GET = portalRoute({ params: portalTopUpParams }, ({ tenant, customerId, params }) =>
  getPortalTopUpResult(tenant, customerId, params.id),
);
