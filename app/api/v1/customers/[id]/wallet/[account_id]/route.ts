import { apiRoute } from "@/lib/api/route";
import { accountParams, updateAccountBody } from "@/lib/api/schemas/wallet";
import { getAccount, updateAccount } from "@/lib/wallet/wallet-views";
import { methodNotAllowed } from "@/lib/api/fallback";

export const GET = apiRoute({ params: accountParams }, ({ auth, params }) => getAccount(auth, params.id, params.account_id));

export const PATCH = apiRoute({ params: accountParams, body: updateAccountBody }, ({ auth, params, body }) =>
  updateAccount(auth, params.id, params.account_id, body),
);

// Methods this path does not serve: a 405 problem naming the ones it does.
const notAllowed = methodNotAllowed(["GET", "PATCH"]);
export const POST = notAllowed;
export const PUT = notAllowed;
export const DELETE = notAllowed;
