import { apiRoute } from "@/lib/api/route";
import { adjustmentBody, walletParams } from "@/lib/api/schemas/wallet";
import { createAdjustment } from "@/lib/wallet/create-adjustment";

export const POST = apiRoute({ params: walletParams, body: adjustmentBody, status: 201 }, async ({ auth, params, body }) => {
  const { id, created_at } = await createAdjustment(auth, params.id, body);
  return { id, created_at };
});
