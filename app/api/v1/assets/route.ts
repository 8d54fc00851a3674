import { listResponse } from "@/lib/api/pagination";
import { apiRoute } from "@/lib/api/route";
import { createAssetBody, listCatalogQuery } from "@/lib/api/schemas/catalog";
import { assetToJson, createAsset, listAssets } from "@/lib/catalog";
import { methodNotAllowed } from "@/lib/api/fallback";

export const POST = apiRoute({ body: createAssetBody, status: 201 }, async ({ auth, body }) => assetToJson(await createAsset(auth, body)));

export const GET = apiRoute({ query: listCatalogQuery }, async ({ auth, query }) => {
  const { items, total } = await listAssets(auth, query);
  return listResponse(items.map(assetToJson), total, query);
});

// Methods this path does not serve: a 405 problem naming the ones it does.
const notAllowed = methodNotAllowed(["GET", "POST"]);
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
