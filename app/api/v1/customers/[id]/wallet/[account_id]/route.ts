import { apiRoute } from "@/lib/api/route";
import { walletOperations } from "@/lib/api/schemas/wallet";
import { getAccount, updateAccount } from "@/lib/wallet/wallet-views";

export const GET = apiRoute(walletOperations.getWalletAccount, ({ auth, params }) => getAccount(auth, params.id, params.account_id));

export const PATCH = apiRoute(walletOperations.updateWalletAccount, ({ auth, params, body }) =>
  updateAccount(auth, params.id, params.account_id, body),
);
