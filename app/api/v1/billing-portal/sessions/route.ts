import { apiRoute } from "@/lib/api/route";
import { portalOperations } from "@/lib/api/schemas/portal";
import { billingPortalSessionToJson } from "@/lib/api/serializers/billing-portal";
import { createBillingPortalSession } from "@/lib/portal-access/create-billing-portal-session";

export const POST = apiRoute(portalOperations.createBillingPortalSession, async ({ auth, body }) =>
  billingPortalSessionToJson(await createBillingPortalSession(auth, body)),
);
