import { apiRoute } from "@/lib/api/route";
import { webhookOperations } from "@/lib/api/schemas/webhooks";
import { webhookEndpointDetailToJson } from "@/lib/api/serializers/webhooks";
import { deleteWebhookEndpoint, getWebhookEndpointOrThrow } from "@/lib/webhooks/webhook-endpoints";

export const GET = apiRoute(webhookOperations.getWebhookEndpoint, async ({ auth, params }) =>
  webhookEndpointDetailToJson(await getWebhookEndpointOrThrow(auth, params.id)),
);

export const DELETE = apiRoute(webhookOperations.deleteWebhookEndpoint, ({ auth, params }) => deleteWebhookEndpoint(auth, params.id));
