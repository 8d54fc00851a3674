import { apiRoute } from "@/lib/api/route";
import { apiKeyOperations } from "@/lib/api/schemas/api-keys";
import { getApiKeyOrThrow, revokeApiKey } from "@/lib/auth/api-keys";

export const GET = apiRoute(apiKeyOperations.getApiKey, ({ auth, params }) => getApiKeyOrThrow(auth, params.id));

// Revokes (the row stays, for the list's history); the calling key may revoke itself.
export const DELETE = apiRoute(apiKeyOperations.revokeApiKey, ({ auth, params }) => revokeApiKey(auth, params.id));
