import { listResponse } from "@/lib/api/pagination";
import { apiRoute } from "@/lib/api/route";
import { webhookOperations } from "@/lib/api/schemas/webhooks";
import { createdWebhookEndpointToJson, webhookEndpointToJson } from "@/lib/api/serializers/webhooks";
import { createWebhookEndpoint, listWebhookEndpoints } from "@/lib/webhooks/webhook-endpoints";

export const POST = apiRoute(webhookOperations.createWebhookEndpoint, async ({ auth, body }) =>
  createdWebhookEndpointToJson(await createWebhookEndpoint(auth, body)),
);

export const GET = apiRoute(webhookOperations.listWebhookEndpoints, async ({ auth, query }) => {
  const { items, total } = await listWebhookEndpoints(auth, query);
  return listResponse(items.map(webhookEndpointToJson), total, query);
});
