import { listResponse } from "@/lib/api/pagination";
import { apiRoute } from "@/lib/api/route";
import { walletOperations } from "@/lib/api/schemas/wallet";
import { ledgerTransactionJson } from "@/lib/api/serializers/wallet";
import { listTransactions } from "@/lib/wallet/wallet-views";

export const GET = apiRoute(walletOperations.listWalletTransactions, async ({ auth, params, query }) => {
  const { items, total } = await listTransactions(auth, params.id, query);
  return listResponse(items.map(ledgerTransactionJson), total, query);
});
