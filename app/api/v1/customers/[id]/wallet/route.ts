import { apiRoute } from "@/lib/api/route";
import { walletParams } from "@/lib/api/schemas/wallet";
import { getWallet } from "@/lib/wallet/wallet-views";

export const GET = apiRoute({ params: walletParams }, ({ auth, params }) => getWallet(auth, params.id));
