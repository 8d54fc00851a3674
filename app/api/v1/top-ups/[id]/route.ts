import { apiRoute } from "@/lib/api/route";
import { topUpParams } from "@/lib/api/schemas/top-ups";
import { getTopUpOrThrow, topUpToJson } from "@/lib/top-ups";

export const GET = apiRoute({ params: topUpParams }, async ({ auth, params }) => topUpToJson(await getTopUpOrThrow(auth, params.id)));
