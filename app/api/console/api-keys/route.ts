import { consoleRoute } from "@/app/_server/console-route";
import { createApiKeyBody } from "@/lib/api/schemas/api-keys";
import { createConsoleApiKey } from "@/lib/console/developer-actions";

/** A new API key in the console's mode; `key` is the only copy of the secret. */
export const POST = consoleRoute("member", { body: createApiKeyBody, status: 201 }, async ({ console: ctx, body }) => {
  const { key, apiKey } = await createConsoleApiKey(ctx, { name: body.name ?? null });
  return { id: apiKey.id, prefix: apiKey.prefix, name: apiKey.name, live_mode: apiKey.liveMode, key };
});
