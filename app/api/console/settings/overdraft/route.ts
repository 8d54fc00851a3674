import { z } from "zod";
import { consoleRoute } from "@/app/_server/console-route";
import { defaultOverdraftLimitSchema } from "@/lib/api/schemas/platform";
import { updateConsoleDefaultOverdraft } from "@/lib/console/settings-actions";

/** PATCH /accounts/self's body with this one setting, required. */
const body = z.strictObject({ settings: z.strictObject({ default_overdraft_limit: defaultOverdraftLimitSchema }) });

/** The console's mode's default overdraft limit, with PATCH /accounts/self's rules (owners only). */
export const PATCH = consoleRoute("owner", { body }, async ({ console: ctx, body }) => {
  const context = await updateConsoleDefaultOverdraft(ctx, body.settings.default_overdraft_limit);
  const limit = context.defaultOverdraftLimit;
  return { live_mode: context.liveMode, default_overdraft_limit: limit === "unlimited" ? limit : limit.toString() };
});
