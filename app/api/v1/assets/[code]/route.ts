import { apiRoute } from "@/lib/api/route";
import { assetCodeParams } from "@/lib/api/schemas/catalog";
import { assetToJson, getAssetOrThrow } from "@/lib/catalog";

export const GET = apiRoute({ params: assetCodeParams }, async ({ auth, params }) => assetToJson(await getAssetOrThrow(auth, params.code)));
