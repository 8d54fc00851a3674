import { apiRoute } from "@/lib/api/route";
import { eventParams, getEventQuery } from "@/lib/api/schemas/events";
import { getEventOrThrow } from "@/lib/usage/list-events";

export const GET = apiRoute({ params: eventParams, query: getEventQuery }, ({ auth, params, query }) =>
  getEventOrThrow(auth, params.id, query.customer_id),
);
