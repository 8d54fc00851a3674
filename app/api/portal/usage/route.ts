import { paginationQuery } from "@/lib/api/pagination";
import { listPortalUsage } from "@/lib/portal/portal-history";
import { portalRoute } from "@/lib/portal/portal-route";

export const GET = portalRoute({ query: paginationQuery }, ({ tenant, customerId, query }) => listPortalUsage(tenant, customerId, query));
