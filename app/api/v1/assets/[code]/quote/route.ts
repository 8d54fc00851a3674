import { apiRoute } from "@/lib/api/route";
import { catalogOperations } from "@/lib/api/schemas/catalog";
import { assetQuoteToJson } from "@/lib/api/serializers/catalog";
import { quoteAsset } from "@/lib/catalog";

export const POST = apiRoute(catalogOperations.quoteAsset, async ({ auth, params, body }) => {
  const input = body.amount !== undefined ? { source: body.source, amount: body.amount } : { source: body.source, units: body.units! };
  return assetQuoteToJson(await quoteAsset(auth, params.code, input));
});
