import { consoleRoute } from "@/app/_server/console-route";
import { webhookEndpointParams } from "@/lib/api/schemas/webhooks";
import { rotateConsoleWebhookSecret } from "@/lib/console/developer-actions";

/** A new signing secret for the endpoint, shown once; the old one stops verifying at once. */
export const POST = consoleRoute("member", { params: webhookEndpointParams }, async ({ console: ctx, params }) =>
  rotateConsoleWebhookSecret(ctx, params.id),
);
