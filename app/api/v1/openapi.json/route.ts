import { drawdownOpenApi } from "@/lib/api/openapi-document";
import { publicApiRoute } from "@/lib/api/route";
import { methodNotAllowed } from "@/lib/api/fallback";

/** The OpenAPI 3.1 document of /api/v1; public, like the /docs page built from it. */
export const GET = publicApiRoute({}, () => drawdownOpenApi());

// Methods this path does not serve: a 405 problem naming the ones it does.
const notAllowed = methodNotAllowed(["GET"]);
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
