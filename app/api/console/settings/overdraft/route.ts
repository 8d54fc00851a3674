import { consoleRoute } from "@/app/_server/console-route";
import { updatePlatformBody } from "@/lib/api/schemas/platform";
import { updateConsoleDefaultOverdraft } from "@/lib/console/settings-actions";

/** The console's mode's default overdraft limit, with PATCH /accounts/self's body and rules (owners only). */
export const PATCH = consoleRoute("owner", { body: updatePlatformBody }, async ({ console: ctx, body }) => {
  const context = await updateConsoleDefaultOverdraft(ctx, body.settings.default_overdraft_limit);
  const limit = context.defaultOverdraftLimit;
  return { live_mode: context.liveMode, default_overdraft_limit: limit === "unlimited" ? limit : limit.toString() };
});
