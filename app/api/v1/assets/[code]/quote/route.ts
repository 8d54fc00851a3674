import { apiRoute } from "@/lib/api/route";
import { assetCodeParams, quoteAssetBody } from "@/lib/api/schemas/catalog";
import { assetQuoteToJson, quoteAsset } from "@/lib/catalog";
import { methodNotAllowed } from "@/lib/api/fallback";

export const POST = apiRoute({ params: assetCodeParams, body: quoteAssetBody }, async ({ auth, params, body }) => {
  const input = body.amount !== undefined ? { source: body.source, amount: body.amount } : { source: body.source, units: body.units! };
  return assetQuoteToJson(await quoteAsset(auth, params.code, input));
});

// Methods this path does not serve: a 405 problem naming the ones it does.
const notAllowed = methodNotAllowed(["POST"]);
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
