import { consoleRoute } from "@/app/_server/console-route";
import { createWebhookEndpointBody } from "@/lib/api/schemas/webhooks";
import { createConsoleWebhookEndpoint } from "@/lib/console/developer-actions";

/** A new webhook endpoint in the console's mode (the API's body and destination policy); the secret is shown once. */
export const POST = consoleRoute("member", { body: createWebhookEndpointBody, status: 201 }, async ({ console: ctx, body }) => {
  const { endpoint, secret } = await createConsoleWebhookEndpoint(ctx, body);
  return { id: endpoint.id, url: endpoint.url, topics: endpoint.topics, secret };
});
