import { listResponse } from "@/lib/api/pagination";
import { apiRoute } from "@/lib/api/route";
import { walletListQuery, walletParams } from "@/lib/api/schemas/wallet";
import { listCreditGrants } from "@/lib/wallet/wallet-views";

export const GET = apiRoute({ params: walletParams, query: walletListQuery }, async ({ auth, params, query }) => {
  const { items, total } = await listCreditGrants(auth, params.id, query);
  return listResponse(items, total, query);
});
