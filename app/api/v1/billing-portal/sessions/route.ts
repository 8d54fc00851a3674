import { apiRoute } from "@/lib/api/route";
import { portalOperations } from "@/lib/api/schemas/portal";
import { createBillingPortalSession } from "@/lib/portal-access/create-billing-portal-session";

export const POST = apiRoute(portalOperations.createBillingPortalSession, ({ auth, body }) =>
  createBillingPortalSession(auth, body),
);
