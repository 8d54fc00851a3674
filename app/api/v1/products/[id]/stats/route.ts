import { apiRoute } from "@/lib/api/route";
import { statsOperations } from "@/lib/api/schemas/stats";
import { statsToJson } from "@/lib/api/serializers/stats";
import { getStats } from "@/lib/stats/get-stats";

export const GET = apiRoute(statsOperations.getProductStats, async ({ auth, params, query }) => statsToJson(await getStats(auth, { kind: "product", id: params.id }, query)));
