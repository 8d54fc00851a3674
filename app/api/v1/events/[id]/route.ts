import { apiRoute } from "@/lib/api/route";
import { eventOperations } from "@/lib/api/schemas/events";
import { getEventOrThrow } from "@/lib/usage/list-events";

export const GET = apiRoute(eventOperations.getUsageEvent, ({ auth, params, query }) =>
  getEventOrThrow(auth, params.id, query.customer_id),
);
