import { apiRoute } from "@/lib/api/route";
import { createBillingPortalSessionBody } from "@/lib/api/schemas/portal";
import { createBillingPortalSession } from "@/lib/portal-access/create-billing-portal-session";
import { methodNotAllowed } from "@/lib/api/fallback";

export const POST = apiRoute({ body: createBillingPortalSessionBody, status: 201 }, ({ auth, body }) =>
  createBillingPortalSession(auth, body),
);

// Methods this path does not serve: a 405 problem naming the ones it does.
const notAllowed = methodNotAllowed(["POST"]);
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
