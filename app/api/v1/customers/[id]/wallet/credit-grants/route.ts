import { listResponse } from "@/lib/api/pagination";
import { apiRoute } from "@/lib/api/route";
import { walletOperations } from "@/lib/api/schemas/wallet";
import { creditGrantJson } from "@/lib/api/serializers/wallet";
import { listCreditGrants } from "@/lib/wallet/wallet-views";

export const GET = apiRoute(walletOperations.listCreditGrants, async ({ auth, params, query }) => {
  const { items, total } = await listCreditGrants(auth, params.id, query);
  return listResponse(items.map(creditGrantJson), total, query);
});
