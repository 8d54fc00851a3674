import { apiRoute } from "@/lib/api/route";
import { createBillingPortalSessionBody } from "@/lib/api/schemas/portal";
import { createBillingPortalSession } from "@/lib/portal/create-billing-portal-session";

export const POST = apiRoute({ body: createBillingPortalSessionBody, status: 201 }, ({ auth, body }) =>
  createBillingPortalSession(auth, body),
);
