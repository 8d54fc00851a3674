import { paginationQuery } from "@/lib/api/pagination";
import { listPortalCreditGrants } from "@/lib/portal/portal-history";
import { portalRoute } from "@/lib/portal/portal-route";

export const GET = portalRoute({ query: paginationQuery }, ({ tenant, customerId, query }) =>
  listPortalCreditGrants(tenant, customerId, query),
);
