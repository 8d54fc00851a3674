import { apiRoute } from "@/lib/api/route";
import { statsOperations } from "@/lib/api/schemas/stats";
import { statsToJson } from "@/lib/api/serializers/stats";
import { getStats } from "@/lib/stats/get-stats";

export const GET = apiRoute(statsOperations.getPlatformStats, async ({ auth, query }) => statsToJson(await getStats(auth, { kind: "platform" }, query)));
