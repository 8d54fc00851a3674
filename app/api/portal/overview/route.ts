import { getPortalOverview } from "@/lib/portal/portal-overview";
import { portalRoute } from "@/lib/portal/portal-route";

export const GET = portalRoute({}, ({ tenant, customerId }) => getPortalOverview(tenant, customerId));
