import { apiRoute } from "@/lib/api/route";
import { walletOperations } from "@/lib/api/schemas/wallet";
import { adjustmentJson } from "@/lib/api/serializers/wallet";
import { createAdjustment } from "@/lib/wallet/create-adjustment";

export const POST = apiRoute(walletOperations.createAdjustment, async ({ auth, params, body }) =>
  adjustmentJson(await createAdjustment(auth, params.id, body)),
);
