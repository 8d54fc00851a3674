import { apiRoute } from "@/lib/api/route";
import { platformOperations } from "@/lib/api/schemas/platform";
import { getPlatformContext, updatePlatformSettings } from "@/lib/platforms/platform-settings";

/** Credyt's "account context": the platform of the API key, in the key's mode. */
export const GET = apiRoute(platformOperations.getPlatformContext, ({ auth }) => getPlatformContext(auth));

export const PATCH = apiRoute(platformOperations.updatePlatformSettings, ({ auth, body }) =>
  updatePlatformSettings(auth, { defaultOverdraftLimit: body.settings.default_overdraft_limit }),
);
