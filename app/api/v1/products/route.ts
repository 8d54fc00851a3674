import { listResponse } from "@/lib/api/pagination";
import { apiRoute } from "@/lib/api/route";
import { createProductBody, listCatalogQuery } from "@/lib/api/schemas/catalog";
import { createProduct, listProducts, productSummaryToJson, productVersionToJson } from "@/lib/catalog";

export const POST = apiRoute({ body: createProductBody, status: 201 }, async ({ auth, body }) => productVersionToJson(await createProduct(auth, body)));

export const GET = apiRoute({ query: listCatalogQuery }, async ({ auth, query }) => {
  const { items, total } = await listProducts(auth, query);
  return listResponse(items.map(productSummaryToJson), total, query);
});
