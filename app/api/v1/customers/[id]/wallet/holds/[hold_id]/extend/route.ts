import { apiRoute } from "@/lib/api/route";
import { holdOperations } from "@/lib/api/schemas/holds";
import { holdJson } from "@/lib/api/serializers/holds";
import { extendHold } from "@/lib/holds/change-hold";

export const POST = apiRoute(holdOperations.extendHold, async ({ auth, params, body }) =>
  holdJson(await extendHold(auth, params.id, params.hold_id, { ttlSeconds: body.ttl_seconds, expiresAt: body.expires_at })),
);
