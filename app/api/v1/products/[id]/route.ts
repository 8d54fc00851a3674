import { apiRoute } from "@/lib/api/route";
import { catalogOperations } from "@/lib/api/schemas/catalog";
import { productToJson, productVersionToJson } from "@/lib/api/serializers/catalog";
import { createProductVersion, getProductOrThrow } from "@/lib/catalog";

export const GET = apiRoute(catalogOperations.getProduct, async ({ auth, params }) => productToJson(await getProductOrThrow(auth, params.id)));

/** A new version with new prices. */
export const POST = apiRoute(catalogOperations.createProductVersion, async ({ auth, params, body }) =>
  productVersionToJson(await createProductVersion(auth, params.id, { prices: body.prices, name: body.name, publish: body.publish, isDefault: body.is_default })),
);
