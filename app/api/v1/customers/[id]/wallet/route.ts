import { apiRoute } from "@/lib/api/route";
import { walletParams } from "@/lib/api/schemas/wallet";
import { getWallet } from "@/lib/wallet/wallet-views";
import { methodNotAllowed } from "@/lib/api/fallback";

export const GET = apiRoute({ params: walletParams }, ({ auth, params }) => getWallet(auth, params.id));

// Methods this path does not serve: a 405 problem naming the ones it does.
const notAllowed = methodNotAllowed(["GET"]);
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
