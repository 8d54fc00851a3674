import { apiRoute } from "@/lib/api/route";
import { walletOperations } from "@/lib/api/schemas/wallet";
import { getWallet } from "@/lib/wallet/wallet-views";

export const GET = apiRoute(walletOperations.getWallet, ({ auth, params }) => getWallet(auth, params.id));
