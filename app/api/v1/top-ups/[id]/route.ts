import { apiRoute } from "@/lib/api/route";
import { topUpOperations } from "@/lib/api/schemas/top-ups";
import { topUpToJson } from "@/lib/api/serializers/top-ups";
import { getTopUpOrThrow } from "@/lib/top-ups";

export const GET = apiRoute(topUpOperations.getTopUp, async ({ auth, params }) => topUpToJson(await getTopUpOrThrow(auth, params.id)));
