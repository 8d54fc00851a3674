import { listResponse } from "@/lib/api/pagination";
import { apiRoute } from "@/lib/api/route";
import { walletListQuery, walletParams } from "@/lib/api/schemas/wallet";
import { listCreditGrants } from "@/lib/wallet/wallet-views";
import { methodNotAllowed } from "@/lib/api/fallback";

export const GET = apiRoute({ params: walletParams, query: walletListQuery }, async ({ auth, params, query }) => {
  const { items, total } = await listCreditGrants(auth, params.id, query);
  return listResponse(items, total, query);
});

// Methods this path does not serve: a 405 problem naming the ones it does.
const notAllowed = methodNotAllowed(["GET"]);
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
