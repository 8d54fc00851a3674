import { apiRoute } from "@/lib/api/route";
import { productVersionParams, simulateUsageBody } from "@/lib/api/schemas/catalog";
import { simulateUsage, simulatedUsageToJson } from "@/lib/catalog";
import { methodNotAllowed } from "@/lib/api/fallback";

/** Prices the events against this version only; nothing is charged or stored. */
export const POST = apiRoute({ params: productVersionParams, body: simulateUsageBody, maxBodyBytes: 5 * 1024 * 1024 }, async ({ auth, params, body }) =>
  simulatedUsageToJson(await simulateUsage(auth, params.id, params.version, body.events)),
);

// Methods this path does not serve: a 405 problem naming the ones it does.
const notAllowed = methodNotAllowed(["POST"]);
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
