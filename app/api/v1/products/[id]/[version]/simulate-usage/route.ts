import { apiRoute } from "@/lib/api/route";
import { productVersionParams, simulateUsageBody } from "@/lib/api/schemas/catalog";
import { simulateUsage, simulatedUsageToJson } from "@/lib/catalog";

/** Prices the events against this version only; nothing is charged or stored. */
export const POST = apiRoute({ params: productVersionParams, body: simulateUsageBody, maxBodyBytes: 5 * 1024 * 1024 }, async ({ auth, params, body }) =>
  simulatedUsageToJson(await simulateUsage(auth, params.id, params.version, body.events)),
);
