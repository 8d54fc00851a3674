import { portalAutoTopUpBody, portalAutoTopUpParams } from "@/lib/api/schemas/portal";
import { portalRoute } from "@/app/_server/portal-route";
import { savePortalAutoTopUp } from "@/lib/portal/portal-auto-top-up";
import { allowedMethods, methodNotAllowed } from "@/lib/api/fallback";

/** Saves the account's auto top-up settings (only the cardholder enables them: here). */
export const PUT = portalRoute({ params: portalAutoTopUpParams, body: portalAutoTopUpBody }, ({ tenant, customerId, params, body }) =>
  savePortalAutoTopUp(tenant, customerId, params.account_id, body),
);

const notAllowed = methodNotAllowed(["PUT"]);
export const GET = notAllowed;
export const POST = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = allowedMethods(["PUT"]);
