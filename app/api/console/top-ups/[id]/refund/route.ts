import { z } from "zod";
import { amountSchema, idSchema } from "@/lib/api/schemas/common";
import { refundTopUp } from "@/lib/console/refund-top-up";
import { consoleRoute } from "@/app/_server/console-route";

const params = z.object({ id: idSchema("top") });
/** Empty: refund all that is left of the payment. `idempotency_key`: the form's, one per confirmation (a double submit refunds once). */
const body = z.strictObject({ amount: amountSchema.nullish(), idempotency_key: z.string().min(1).max(255).nullish() });

/** Refunds a paid top-up at Stripe; the charge.refunded webhook reverses the credit. */
export const POST = consoleRoute("member", { params, body, status: 202 }, async ({ console: ctx, params: { id }, body }) => {
  const refund = await refundTopUp(ctx, id, { amount: body.amount ?? null, idempotencyKey: body.idempotency_key ?? null });
  return { refund_id: refund.refundId, amount: refund.amount.toFixed() };
});
