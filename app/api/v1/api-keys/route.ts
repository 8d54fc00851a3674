import { listResponse } from "@/lib/api/pagination";
import { apiRoute } from "@/lib/api/route";
import { apiKeyOperations } from "@/lib/api/schemas/api-keys";
import { createApiKey, listApiKeys } from "@/lib/auth/api-keys";

/**
 * The caller's own mode, always: a test key can never mint a live key. The secret is shown
 * in this answer only: a replay of the same Idempotency-Key answers 409 naming the key it
 * made (revoke it and create another), so the secret is never stored with the answer.
 */
export const POST = apiRoute(apiKeyOperations.createApiKey,
  async ({ auth, body }) => {
    const { json } = await createApiKey(auth.platformId, auth.liveMode, { name: body.name });
    return json;
  },
);

export const GET = apiRoute(apiKeyOperations.listApiKeys, async ({ auth, query }) => {
  const { items, total } = await listApiKeys(auth, query);
  return listResponse(items, total, query);
});
