import { apiRoute } from "@/lib/api/route";
import { webhookOperations } from "@/lib/api/schemas/webhooks";
import { deleteWebhookEndpoint, getWebhookEndpointOrThrow } from "@/lib/webhooks/webhook-endpoints";

export const GET = apiRoute(webhookOperations.getWebhookEndpoint, ({ auth, params }) => getWebhookEndpointOrThrow(auth, params.id));

export const DELETE = apiRoute(webhookOperations.deleteWebhookEndpoint, ({ auth, params }) => deleteWebhookEndpoint(auth, params.id));
