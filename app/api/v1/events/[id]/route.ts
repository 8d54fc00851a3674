import { apiRoute } from "@/lib/api/route";
import { eventOperations } from "@/lib/api/schemas/events";
import { usageEventJson } from "@/lib/api/serializers/usage";
import { getEventOrThrow } from "@/lib/usage/list-events";

export const GET = apiRoute(eventOperations.getUsageEvent, async ({ auth, params, query }) =>
  usageEventJson(await getEventOrThrow(auth, params.id, query.customer_id)),
);
