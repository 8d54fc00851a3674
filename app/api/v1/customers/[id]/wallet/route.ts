import { apiRoute } from "@/lib/api/route";
import { walletOperations } from "@/lib/api/schemas/wallet";
import { walletJson } from "@/lib/api/serializers/wallet";
import { getWallet } from "@/lib/wallet/wallet-views";

export const GET = apiRoute(walletOperations.getWallet, async ({ auth, params }) => walletJson(await getWallet(auth, params.id)));
