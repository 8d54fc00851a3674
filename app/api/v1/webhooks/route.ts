import { listResponse } from "@/lib/api/pagination";
import { apiRoute } from "@/lib/api/route";
import { createWebhookEndpointBody, listWebhookEndpointsQuery } from "@/lib/api/schemas/webhooks";
import { createWebhookEndpoint, listWebhookEndpoints } from "@/lib/webhooks/webhook-endpoints";

export const POST = apiRoute({ body: createWebhookEndpointBody, status: 201 }, ({ auth, body }) => createWebhookEndpoint(auth, body));

export const GET = apiRoute({ query: listWebhookEndpointsQuery }, async ({ auth, query }) => {
  const { items, total } = await listWebhookEndpoints(auth, query);
  return listResponse(items, total, query);
});
