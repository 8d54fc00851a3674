import { apiRoute } from "@/lib/api/route";
import { accountParams, updateAccountBody } from "@/lib/api/schemas/wallet";
import { getAccount, updateAccount } from "@/lib/wallet/wallet-views";

export const GET = apiRoute({ params: accountParams }, ({ auth, params }) => getAccount(auth, params.id, params.account_id));

export const PATCH = apiRoute({ params: accountParams, body: updateAccountBody }, ({ auth, params, body }) =>
  updateAccount(auth, params.id, params.account_id, body),
);
