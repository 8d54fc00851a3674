import { drawdownOpenApi } from "@/lib/api/openapi-document";
import { publicApiRoute } from "@/lib/api/route";

/** The OpenAPI 3.1 document of /api/v1; public, like the /docs page built from it. */
export const GET = publicApiRoute({}, () => drawdownOpenApi());
