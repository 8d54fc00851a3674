import { apiRoute } from "@/lib/api/route";
import { platformOperations } from "@/lib/api/schemas/platform";
import { platformContextToJson } from "@/lib/api/serializers/platform";
import { getPlatformContext, updatePlatformSettings } from "@/lib/platforms/platform-settings";

/** Credyt's "account context": the platform of the API key, in the key's mode. */
export const GET = apiRoute(platformOperations.getPlatformContext, async ({ auth }) => platformContextToJson(await getPlatformContext(auth)));

export const PATCH = apiRoute(platformOperations.updatePlatformSettings, async ({ auth, body }) =>
  platformContextToJson(
    await updatePlatformSettings(auth, {
      defaultOverdraftLimit: body.settings.default_overdraft_limit,
      defaultLowBalanceThreshold: body.settings.default_low_balance_threshold,
    }),
  ),
);
