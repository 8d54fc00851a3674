import { consoleRoute } from "@/app/_server/console-route";
import { apiKeyParams } from "@/lib/api/schemas/api-keys";
import { revokeConsoleApiKey } from "@/lib/console/developer-actions";

/** Revokes a key of the console's platform and mode: refused on the next request everywhere. */
export const POST = consoleRoute("member", { params: apiKeyParams }, async ({ console: ctx, params }) => {
  const key = await revokeConsoleApiKey(ctx, params.id);
  return { id: key.id, prefix: key.prefix, revoked_at: key.revokedAt?.toISOString() ?? null };
});
