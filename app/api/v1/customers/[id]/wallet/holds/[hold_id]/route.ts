import { apiRoute } from "@/lib/api/route";
import { holdOperations } from "@/lib/api/schemas/holds";
import { holdJson } from "@/lib/api/serializers/holds";
import { getHold } from "@/lib/holds/read-holds";

export const GET = apiRoute(holdOperations.getHold, async ({ auth, params }) => holdJson(await getHold(auth, params.id, params.hold_id)));
