import { listResponse } from "@/lib/api/pagination";
import { apiRoute } from "@/lib/api/route";
import { createAssetBody, listCatalogQuery } from "@/lib/api/schemas/catalog";
import { assetToJson, createAsset, listAssets } from "@/lib/catalog";

export const POST = apiRoute({ body: createAssetBody, status: 201 }, async ({ auth, body }) => assetToJson(await createAsset(auth, body)));

export const GET = apiRoute({ query: listCatalogQuery }, async ({ auth, query }) => {
  const { items, total } = await listAssets(auth, query);
  return listResponse(items.map(assetToJson), total, query);
});
