import { apiRoute } from "@/lib/api/route";
import { productVersionParams, updateProductVersionBody } from "@/lib/api/schemas/catalog";
import { productVersionToJson, updateProductVersion } from "@/lib/catalog";
import { methodNotAllowed } from "@/lib/api/fallback";

export const PATCH = apiRoute({ params: productVersionParams, body: updateProductVersionBody }, async ({ auth, params, body }) =>
  productVersionToJson(await updateProductVersion(auth, params.id, params.version, { publish: body.publish, isDefault: body.is_default })),
);

// Methods this path does not serve: a 405 problem naming the ones it does.
const notAllowed = methodNotAllowed(["PATCH"]);
export const GET = notAllowed;
export const POST = notAllowed;
export const PUT = notAllowed;
export const DELETE = notAllowed;
