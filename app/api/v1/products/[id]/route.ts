import { apiRoute } from "@/lib/api/route";
import { createProductVersionBody, productParams } from "@/lib/api/schemas/catalog";
import { createProductVersion, getProductOrThrow, productToJson, productVersionToJson } from "@/lib/catalog";
import { methodNotAllowed } from "@/lib/api/fallback";

export const GET = apiRoute({ params: productParams }, async ({ auth, params }) => productToJson(await getProductOrThrow(auth, params.id)));

/** A new version with new prices. */
export const POST = apiRoute({ params: productParams, body: createProductVersionBody, status: 201 }, async ({ auth, params, body }) =>
  productVersionToJson(await createProductVersion(auth, params.id, { prices: body.prices, name: body.name, publish: body.publish, isDefault: body.is_default })),
);

// Methods this path does not serve: a 405 problem naming the ones it does.
const notAllowed = methodNotAllowed(["GET", "POST"]);
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
