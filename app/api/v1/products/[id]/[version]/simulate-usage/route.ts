import { apiRoute } from "@/lib/api/route";
import { catalogOperations } from "@/lib/api/schemas/catalog";
import { simulatedUsageToJson } from "@/lib/api/serializers/catalog";
import { simulateUsage } from "@/lib/catalog";

/** Prices the events against this version only; nothing is charged or stored. */
export const POST = apiRoute(catalogOperations.simulateUsage, async ({ auth, params, body }) =>
  simulatedUsageToJson(await simulateUsage(auth, params.id, params.version, body.events)),
);
