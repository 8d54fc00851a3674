import { apiRoute } from "@/lib/api/route";
import { assetCodeParams } from "@/lib/api/schemas/catalog";
import { assetToJson, getAssetOrThrow } from "@/lib/catalog";
import { methodNotAllowed } from "@/lib/api/fallback";

export const GET = apiRoute({ params: assetCodeParams }, async ({ auth, params }) => assetToJson(await getAssetOrThrow(auth, params.code)));

// Methods this path does not serve: a 405 problem naming the ones it does.
const notAllowed = methodNotAllowed(["GET"]);
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
