import { apiRoute } from "@/lib/api/route";
import { topUpParams } from "@/lib/api/schemas/top-ups";
import { getTopUpOrThrow, topUpToJson } from "@/lib/top-ups";
import { methodNotAllowed } from "@/lib/api/fallback";

export const GET = apiRoute({ params: topUpParams }, async ({ auth, params }) => topUpToJson(await getTopUpOrThrow(auth, params.id)));

// Methods this path does not serve: a 405 problem naming the ones it does.
const notAllowed = methodNotAllowed(["GET"]);
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
