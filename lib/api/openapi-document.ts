import { openApiDocument, type OpenApiDocument } from "./openapi";
import { apiOperations } from "./operations";

let cached: OpenApiDocument | undefined;

/** The API's OpenAPI document, built once per process from the declared operations (lib/api/operations.ts). */
export function drawdownOpenApi(): OpenApiDocument {
  cached ??= openApiDocument(apiOperations);
  return cached;
}
