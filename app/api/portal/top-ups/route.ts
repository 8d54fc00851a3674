import { paginationQuery } from "@/lib/api/pagination";
import { portalTopUpBody } from "@/lib/api/schemas/portal";
import { listPortalTopUps } from "@/lib/portal/portal-history";
import { portalRoute } from "@/lib/portal/portal-route";
import { startPortalTopUp } from "@/lib/portal/portal-top-up";

export const GET = portalRoute({ query: paginationQuery }, ({ tenant, customerId, query }) => listPortalTopUps(tenant, customerId, query));

export const POST = portalRoute({ body: portalTopUpBody, status: 201 }, ({ tenant, customerId, body }) =>
  startPortalTopUp(tenant, customerId, body),
);
