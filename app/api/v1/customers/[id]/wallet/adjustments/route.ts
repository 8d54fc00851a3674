import { apiRoute } from "@/lib/api/route";
import { walletOperations } from "@/lib/api/schemas/wallet";
import { createAdjustment } from "@/lib/wallet/create-adjustment";

export const POST = apiRoute(walletOperations.createAdjustment, async ({ auth, params, body }) => {
  const { id, created_at } = await createAdjustment(auth, params.id, body);
  return { id, created_at };
});
