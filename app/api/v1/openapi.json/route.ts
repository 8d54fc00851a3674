import { drawdownOpenApi } from "@/lib/api/openapi-document";
import { metaOperations } from "@/lib/api/operations";
import { apiRoute } from "@/lib/api/route";

/** The OpenAPI 3.1 document of /api/v1; public, like the /docs page built from it. */
export const GET = apiRoute(metaOperations.getOpenApiDocument, () => ({ ...drawdownOpenApi() }));
