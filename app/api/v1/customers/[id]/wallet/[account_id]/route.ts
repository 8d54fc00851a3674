import { apiRoute } from "@/lib/api/route";
import { walletOperations } from "@/lib/api/schemas/wallet";
import { accountJson } from "@/lib/api/serializers/wallet";
import { getAccount, updateAccount } from "@/lib/wallet/wallet-views";

export const GET = apiRoute(walletOperations.getWalletAccount, async ({ auth, params }) => accountJson(await getAccount(auth, params.id, params.account_id)));

export const PATCH = apiRoute(walletOperations.updateWalletAccount, async ({ auth, params, body }) =>
  accountJson(await updateAccount(auth, params.id, params.account_id, body)),
);
