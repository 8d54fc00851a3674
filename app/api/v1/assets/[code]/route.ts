import { apiRoute } from "@/lib/api/route";
import { catalogOperations } from "@/lib/api/schemas/catalog";
import { assetToJson } from "@/lib/api/serializers/catalog";
import { getAssetOrThrow } from "@/lib/catalog";

export const GET = apiRoute(catalogOperations.getAsset, async ({ auth, params }) => assetToJson(await getAssetOrThrow(auth, params.code)));
