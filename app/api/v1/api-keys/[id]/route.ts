import { methodNotAllowed } from "@/lib/api/fallback";
import { apiRoute } from "@/lib/api/route";
import { apiKeyParams } from "@/lib/api/schemas/api-keys";
import { getApiKeyOrThrow, revokeApiKey } from "@/lib/auth/api-keys";

export const GET = apiRoute({ params: apiKeyParams }, ({ auth, params }) => getApiKeyOrThrow(auth, params.id));

// Revokes (the row stays, for the list's history); the calling key may revoke itself.
export const DELETE = apiRoute({ params: apiKeyParams }, ({ auth, params }) => revokeApiKey(auth, params.id));

// Methods this path does not serve: a 405 problem naming the ones it does.
const notAllowed = methodNotAllowed(["GET", "DELETE"]);
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
