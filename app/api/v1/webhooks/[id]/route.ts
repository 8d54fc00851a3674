import { apiRoute } from "@/lib/api/route";
import { webhookEndpointParams } from "@/lib/api/schemas/webhooks";
import { deleteWebhookEndpoint, getWebhookEndpointOrThrow } from "@/lib/webhooks/webhook-endpoints";
import { methodNotAllowed } from "@/lib/api/fallback";

export const GET = apiRoute({ params: webhookEndpointParams }, ({ auth, params }) => getWebhookEndpointOrThrow(auth, params.id));

export const DELETE = apiRoute({ params: webhookEndpointParams }, ({ auth, params }) => deleteWebhookEndpoint(auth, params.id));

// Methods this path does not serve: a 405 problem naming the ones it does.
const notAllowed = methodNotAllowed(["GET", "DELETE"]);
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
