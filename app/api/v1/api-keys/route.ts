import { methodNotAllowed } from "@/lib/api/fallback";
import { listResponse } from "@/lib/api/pagination";
import { problems } from "@/lib/api/problem";
import { apiRoute } from "@/lib/api/route";
import { createApiKeyBody, listApiKeysQuery } from "@/lib/api/schemas/api-keys";
import { createApiKey, listApiKeys } from "@/lib/auth/api-keys";

/**
 * The caller's own mode, always: a test key can never mint a live key. The secret is shown
 * in this answer only: a replay of the same Idempotency-Key answers 409 naming the key it
 * made (revoke it and create another), so the secret is never stored with the answer.
 */
export const POST = apiRoute(
  {
    body: createApiKeyBody,
    status: 201,
    replayWithoutSecret: (created) =>
      problems.conflict(
        `An earlier request with this Idempotency-Key created API key ${String(created.id)}; its secret is shown only once and is not kept. Revoke that key (DELETE /api-keys/${String(created.id)}) and create another.`,
        { key_id: created.id },
      ),
  },
  async ({ auth, body }) => {
    const { json } = await createApiKey(auth.platformId, auth.liveMode, { name: body.name });
    return json;
  },
);

export const GET = apiRoute({ query: listApiKeysQuery }, async ({ auth, query }) => {
  const { items, total } = await listApiKeys(auth, query);
  return listResponse(items, total, query);
});

// Methods this path does not serve: a 405 problem naming the ones it does.
const notAllowed = methodNotAllowed(["GET", "POST"]);
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
