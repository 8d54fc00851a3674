import { methodNotAllowed } from "@/lib/api/fallback";
import { apiRoute } from "@/lib/api/route";
import { updatePlatformBody } from "@/lib/api/schemas/platform";
import { getPlatformContext, updatePlatformSettings } from "@/lib/platforms/platform-settings";

/** Credyt's "account context": the platform of the API key, in the key's mode. */
export const GET = apiRoute({}, ({ auth }) => getPlatformContext(auth));

export const PATCH = apiRoute({ body: updatePlatformBody }, ({ auth, body }) =>
  updatePlatformSettings(auth, { defaultOverdraftLimit: body.settings.default_overdraft_limit }),
);

// Methods this path does not serve: a 405 problem naming the ones it does.
const notAllowed = methodNotAllowed(["GET", "PATCH"]);
export const POST = notAllowed;
export const PUT = notAllowed;
export const DELETE = notAllowed;
