import { portalQuoteQuery } from "@/lib/api/schemas/portal";
import { portalRoute } from "@/lib/portal/portal-route";
import { quotePortalTopUp } from "@/lib/portal/portal-top-up";

export const GET = portalRoute({ query: portalQuoteQuery }, ({ tenant, query }) => quotePortalTopUp(tenant, query.account_id, query.amount));
