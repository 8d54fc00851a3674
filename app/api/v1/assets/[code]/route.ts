import { apiRoute } from "@/lib/api/route";
import { catalogOperations } from "@/lib/api/schemas/catalog";
import { assetToJson, getAssetOrThrow } from "@/lib/catalog";

export const GET = apiRoute(catalogOperations.getAsset, async ({ auth, params }) => assetToJson(await getAssetOrThrow(auth, params.code)));
