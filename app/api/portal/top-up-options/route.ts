import { portalRoute } from "@/lib/portal/portal-route";
import { listTopUpOptions } from "@/lib/portal/portal-top-up";

export const GET = portalRoute({}, async ({ tenant, customerId }) => ({ items: await listTopUpOptions(tenant, customerId) }));
