import { z } from "zod";
import { adjustmentBody } from "@/lib/api/schemas/wallet";
import { idSchema } from "@/lib/api/schemas/common";
import { adjustBalance } from "@/lib/console/customer-actions";
import { consoleRoute } from "@/app/_server/console-route";

const params = z.object({ id: idSchema("cust") });

/** The API's adjustment fields, with the reason's words required (they go to the ledger and the audit log). */
const body = adjustmentBody
  .pick({ account_name: true, asset: true, amount: true, reason: true })
  .extend({
    transaction_id: z.string().min(1).max(200).optional(),
    description: z.string().trim().min(1, "Say why you adjust the balance").max(500),
  });

export const POST = consoleRoute("member", { params, body, status: 201 }, async ({ console, params: { id }, body }) => {
  const result = await adjustBalance(console, id, body);
  return { id: result.id, created_at: result.createdAt.toISOString() };
});
