import { methodNotAllowed } from "@/lib/api/fallback";
import { listResponse } from "@/lib/api/pagination";
import { apiRoute } from "@/lib/api/route";
import { createApiKeyBody, listApiKeysQuery } from "@/lib/api/schemas/api-keys";
import { createApiKey, listApiKeys } from "@/lib/auth/api-keys";

// The caller's own mode, always: a test key can never mint a live key.
export const POST = apiRoute({ body: createApiKeyBody, status: 201 }, async ({ auth, body }) => {
  const { json } = await createApiKey(auth.platformId, auth.liveMode, { name: body.name });
  return json;
});

export const GET = apiRoute({ query: listApiKeysQuery }, async ({ auth, query }) => {
  const { items, total } = await listApiKeys(auth, query);
  return listResponse(items, total, query);
});

// Methods this path does not serve: a 405 problem naming the ones it does.
const notAllowed = methodNotAllowed(["GET", "POST"]);
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
