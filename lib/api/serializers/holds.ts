import type { z } from "zod";
import type { Hold } from "@/lib/holds/hold";
import { amountToJson } from "@/lib/money";
import type { holdSchema } from "../schemas/holds";

/** A hold on the wire (lib/api/schemas/holds.ts): the same shape as the `hold.*` webhooks' data. */
export function holdJson(h: Hold): z.input<typeof holdSchema> {
  return {
    id: h.id,
    reference: h.reference,
    customer_id: h.customerId,
    status: h.status,
    amounts: h.amounts.map((a) => ({
      account_id: a.accountId,
      asset: a.asset,
      amount: amountToJson(a.amount),
      captured: amountToJson(a.captured),
      released: amountToJson(a.released),
    })),
    expires_at: h.expiresAt.toISOString(),
    subject: h.subject,
    metadata: h.metadata,
    created_at: h.createdAt.toISOString(),
    closed_at: h.closedAt?.toISOString() ?? null,
  };
}
