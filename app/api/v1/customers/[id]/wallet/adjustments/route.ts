import { apiRoute } from "@/lib/api/route";
import { adjustmentBody, walletParams } from "@/lib/api/schemas/wallet";
import { createAdjustment } from "@/lib/wallet/create-adjustment";
import { methodNotAllowed } from "@/lib/api/fallback";

export const POST = apiRoute({ params: walletParams, body: adjustmentBody, status: 201 }, async ({ auth, params, body }) => {
  const { id, created_at } = await createAdjustment(auth, params.id, body);
  return { id, created_at };
});

// Methods this path does not serve: a 405 problem naming the ones it does.
const notAllowed = methodNotAllowed(["POST"]);
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
