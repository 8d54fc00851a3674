import { apiRoute } from "@/lib/api/route";
import { apiKeyOperations } from "@/lib/api/schemas/api-keys";
import { apiKeyToJson } from "@/lib/api/serializers/api-keys";
import { getApiKeyOrThrow, revokeApiKey } from "@/lib/auth/api-keys";

export const GET = apiRoute(apiKeyOperations.getApiKey, async ({ auth, params }) => apiKeyToJson(await getApiKeyOrThrow(auth, params.id)));

// Revokes (the row stays, for the list's history); the calling key may revoke itself.
export const DELETE = apiRoute(apiKeyOperations.revokeApiKey, async ({ auth, params }) => apiKeyToJson(await revokeApiKey(auth, params.id)));
