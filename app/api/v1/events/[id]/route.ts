import { apiRoute } from "@/lib/api/route";
import { eventParams, getEventQuery } from "@/lib/api/schemas/events";
import { getEventOrThrow } from "@/lib/usage/list-events";
import { methodNotAllowed } from "@/lib/api/fallback";

export const GET = apiRoute({ params: eventParams, query: getEventQuery }, ({ auth, params, query }) =>
  getEventOrThrow(auth, params.id, query.customer_id),
);

// Methods this path does not serve: a 405 problem naming the ones it does.
const notAllowed = methodNotAllowed(["GET"]);
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
