import { listResponse } from "@/lib/api/pagination";
import { apiRoute } from "@/lib/api/route";
import { createWebhookEndpointBody, listWebhookEndpointsQuery } from "@/lib/api/schemas/webhooks";
import { createWebhookEndpoint, listWebhookEndpoints } from "@/lib/webhooks/webhook-endpoints";
import { methodNotAllowed } from "@/lib/api/fallback";

export const POST = apiRoute({ body: createWebhookEndpointBody, status: 201 }, ({ auth, body }) => createWebhookEndpoint(auth, body));

export const GET = apiRoute({ query: listWebhookEndpointsQuery }, async ({ auth, query }) => {
  const { items, total } = await listWebhookEndpoints(auth, query);
  return listResponse(items, total, query);
});

// Methods this path does not serve: a 405 problem naming the ones it does.
const notAllowed = methodNotAllowed(["GET", "POST"]);
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
