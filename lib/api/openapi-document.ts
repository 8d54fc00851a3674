import { openApiDocument, type OpenApiDocument } from "./openapi";
import { apiRouteDocs } from "./openapi-routes";

let cached: OpenApiDocument | undefined;

/** The API's OpenAPI document, built once per process from lib/api/openapi-routes.ts. */
export function drawdownOpenApi(): OpenApiDocument {
  cached ??= openApiDocument(apiRouteDocs);
  return cached;
}
