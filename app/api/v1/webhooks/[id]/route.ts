import { apiRoute } from "@/lib/api/route";
import { webhookEndpointParams } from "@/lib/api/schemas/webhooks";
import { deleteWebhookEndpoint, getWebhookEndpointOrThrow } from "@/lib/webhooks/webhook-endpoints";

export const GET = apiRoute({ params: webhookEndpointParams }, ({ auth, params }) => getWebhookEndpointOrThrow(auth, params.id));

export const DELETE = apiRoute({ params: webhookEndpointParams }, ({ auth, params }) => deleteWebhookEndpoint(auth, params.id));
