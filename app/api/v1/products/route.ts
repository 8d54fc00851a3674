import { listResponse } from "@/lib/api/pagination";
import { apiRoute } from "@/lib/api/route";
import { catalogOperations } from "@/lib/api/schemas/catalog";
import { productSummaryToJson, productVersionToJson } from "@/lib/api/serializers/catalog";
import { createProduct, listProducts } from "@/lib/catalog";

export const POST = apiRoute(catalogOperations.createProduct, async ({ auth, body }) => productVersionToJson(await createProduct(auth, body)));

export const GET = apiRoute(catalogOperations.listProducts, async ({ auth, query }) => {
  const { items, total } = await listProducts(auth, query);
  return listResponse(items.map(productSummaryToJson), total, query);
});
