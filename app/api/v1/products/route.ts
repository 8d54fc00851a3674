import { listResponse } from "@/lib/api/pagination";
import { apiRoute } from "@/lib/api/route";
import { createProductBody, listProductsQuery } from "@/lib/api/schemas/catalog";
import { createProduct, listProducts, productSummaryToJson, productVersionToJson } from "@/lib/catalog";
import { methodNotAllowed } from "@/lib/api/fallback";

export const POST = apiRoute({ body: createProductBody, status: 201 }, async ({ auth, body }) => productVersionToJson(await createProduct(auth, body)));

export const GET = apiRoute({ query: listProductsQuery }, async ({ auth, query }) => {
  const { items, total } = await listProducts(auth, query);
  return listResponse(items.map(productSummaryToJson), total, query);
});

// Methods this path does not serve: a 405 problem naming the ones it does.
const notAllowed = methodNotAllowed(["GET", "POST"]);
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
