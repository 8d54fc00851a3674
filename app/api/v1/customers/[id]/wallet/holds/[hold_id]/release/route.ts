import { apiRoute } from "@/lib/api/route";
import { holdOperations } from "@/lib/api/schemas/holds";
import { holdJson } from "@/lib/api/serializers/holds";
import { releaseHold } from "@/lib/holds/change-hold";

export const POST = apiRoute(holdOperations.releaseHold, async ({ auth, params }) => holdJson(await releaseHold(auth, params.id, params.hold_id)));
