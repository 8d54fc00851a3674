import { listResponse } from "@/lib/api/pagination";
import { apiRoute } from "@/lib/api/route";
import { catalogOperations } from "@/lib/api/schemas/catalog";
import { assetToJson } from "@/lib/api/serializers/catalog";
import { createAsset, listAssets } from "@/lib/catalog";

export const POST = apiRoute(catalogOperations.createAsset, async ({ auth, body }) => assetToJson(await createAsset(auth, body)));

export const GET = apiRoute(catalogOperations.listAssets, async ({ auth, query }) => {
  const { items, total } = await listAssets(auth, query);
  return listResponse(items.map(assetToJson), total, query);
});
