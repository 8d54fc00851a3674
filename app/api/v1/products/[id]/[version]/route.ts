import { apiRoute } from "@/lib/api/route";
import { catalogOperations } from "@/lib/api/schemas/catalog";
import { productVersionToJson } from "@/lib/api/serializers/catalog";
import { updateProductVersion } from "@/lib/catalog";

export const PATCH = apiRoute(catalogOperations.updateProductVersion, async ({ auth, params, body }) =>
  productVersionToJson(await updateProductVersion(auth, params.id, params.version, { publish: body.publish, isDefault: body.is_default })),
);
