import { consoleRoute } from "@/app/_server/console-route";
import { productVersionParams, simulateUsageBody } from "@/lib/api/schemas/catalog";
import { simulatedUsageToJson } from "@/lib/api/serializers/catalog";
import { simulateUsage } from "@/lib/catalog/simulate-usage";

/** The fees events would incur on this version (drafts included); reads only, so every role may. */
export const POST = consoleRoute("read_only", { params: productVersionParams, body: simulateUsageBody }, async ({ console: ctx, params, body }) =>
  simulatedUsageToJson(await simulateUsage(ctx.tenant, params.id, params.version, body.events)),
);
