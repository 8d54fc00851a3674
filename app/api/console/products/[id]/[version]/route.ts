import { consoleRoute } from "@/app/_server/console-route";
import { productVersionParams, updateProductVersionBody } from "@/lib/api/schemas/catalog";
import { productVersionToJson } from "@/lib/api/serializers/catalog";
import { updateConsoleProductVersion } from "@/lib/console/catalog-actions";

/** Publish a version and/or make it the default, with PATCH /products/{id}/{version}'s body and rules. */
export const PATCH = consoleRoute("member", { params: productVersionParams, body: updateProductVersionBody }, async ({ console: ctx, params, body }) =>
  productVersionToJson(await updateConsoleProductVersion(ctx, params.id, params.version, { publish: body.publish, isDefault: body.is_default })),
);
