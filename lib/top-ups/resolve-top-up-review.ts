import { ConflictError, NotFoundError } from "@/lib/errors";
import { runInCustomerBatch } from "@/lib/ledger";
import { webhookEvent } from "@/lib/webhooks/ledger-outbox";
import { isOpenReview } from "./review-top-up";
import { creditPaidTopUp } from "./settle-top-up";
import { loadedTopUp, settlementGroup, type SettlementContext, type SettlementInput } from "./settlement-group";
import { findTopUp, topUpWebhookData, type TopUpRecord } from "./top-up-records";

export type ReviewDecision = "credit" | "reject";

/**
 * An operator's decision on an open review (docs/api-notes/top-ups.md "Review"):
 * - `credit`: the payment was checked at Stripe and is right: credit the top-up now
 *   (`succeeded`, a `top_up.succeeded` webhook). Refused (nothing changes) when part of it
 *   was refunded meanwhile, or (422 `balance_limit_exceeded`) while the balance still
 *   cannot take it.
 * - `reject`: credit nothing, ever; a top-up that was not credited becomes `failed` (a
 *   `top_up.failed` webhook). Refund the payment at Stripe if money was taken.
 * Either way the review stays on the top-up with `resolution` and `resolved_at`.
 */
export async function resolveTopUpReview(topUpId: string, decision: ReviewDecision): Promise<TopUpRecord> {
  const topUp = await findTopUp({ id: topUpId });
  if (!topUp) throw new NotFoundError(`no top-up ${topUpId}`);
  if (decision === "credit") {
    await creditPaidTopUp(topUp, { paymentIntentId: null, event: null, paid: "operator" });
  } else {
    await runInCustomerBatch<void, SettlementContext, SettlementInput>(topUp.customerId, {
      idempotencyKeys: [],
      group: settlementGroup,
      groupInput: { topUpId, event: null },
      apply(wallet, ctx) {
        const t = loadedTopUp(ctx, topUpId);
        if (!isOpenReview(t.review)) throw new ConflictError(`top-up ${topUpId} has no open review`);
        t.review = { ...t.review, resolution: "rejected", resolved_at: wallet.now.toISOString() };
        if (t.status === "initiated" && !t.grantId) {
          t.status = "failed";
          wallet.emit(webhookEvent("top_up.failed", topUpWebhookData(t)));
        }
        ctx.changed.add(t.id);
      },
    });
  }
  return (await findTopUp({ id: topUpId }))!;
}
