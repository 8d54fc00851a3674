import { z } from "zod";
import { consoleRoute } from "@/app/_server/console-route";
import { defaultLowBalanceThresholdSchema } from "@/lib/api/schemas/platform";
import { updateConsoleDefaultLowBalance } from "@/lib/console/settings-actions";

/** PATCH /accounts/self's body with this one setting, required (null clears it). */
const body = z.strictObject({ settings: z.strictObject({ default_low_balance_threshold: defaultLowBalanceThresholdSchema }) });

/** The console's mode's default low-balance threshold, with PATCH /accounts/self's rules (owners only). */
export const PATCH = consoleRoute("owner", { body }, async ({ console: ctx, body }) => {
  const context = await updateConsoleDefaultLowBalance(ctx, body.settings.default_low_balance_threshold);
  return { live_mode: context.liveMode, default_low_balance_threshold: context.defaultLowBalanceThreshold?.toString() ?? null };
});
