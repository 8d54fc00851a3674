import { listResponse } from "@/lib/api/pagination";
import { apiRoute } from "@/lib/api/route";
import { apiKeyOperations } from "@/lib/api/schemas/api-keys";
import { apiKeyToJson, createdApiKeyToJson } from "@/lib/api/serializers/api-keys";
import { createApiKey, listApiKeys } from "@/lib/auth/api-keys";

/**
 * The caller's own mode, always: a test key can never mint a live key. The secret is shown
 * in this answer only (the operation's replayWithoutSecret keeps it out of stored answers).
 */
export const POST = apiRoute(apiKeyOperations.createApiKey, async ({ auth, body }) =>
  createdApiKeyToJson(await createApiKey(auth.platformId, auth.liveMode, { name: body.name })),
);

export const GET = apiRoute(apiKeyOperations.listApiKeys, async ({ auth, query }) => {
  const { items, total } = await listApiKeys(auth, query);
  return listResponse(items.map(apiKeyToJson), total, query);
});
