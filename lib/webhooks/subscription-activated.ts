import type { Prisma } from "@/lib/generated/prisma/client";
import { newId } from "@/lib/ids";

/** A subscription that has just become active: Credyt's `subscription.activated` payload, plus the product. */
export interface ActivatedSubscription {
  subscriptionId: string;
  productId: string;
  code: string;
  /** null: follows the product's default version. */
  version: number | null;
}

/**
 * Records one `subscription.activated` event per new subscription in the outbox, inside
 * the caller's transaction (so the events exist exactly when the subscriptions do; call
 * requestWebhookDispatch() after the commit). Subscriptions are active at once: Drawdown
 * has no up-front payment for them. The tenant comes from the customer row, as for every
 * outbox event. `data`: `{ customer_id, subscription_id, occurred_at, product: { id, code,
 * version } }` (`version` is a number or "default").
 */
export async function recordSubscriptionsActivated(
  tx: Prisma.TransactionClient,
  customer: { id: string; platformId: string; liveMode: boolean },
  subscriptions: readonly ActivatedSubscription[],
  at: Date = new Date(),
): Promise<void> {
  if (subscriptions.length === 0) return;
  await tx.webhookEvent.createMany({
    data: subscriptions.map((s) => ({
      id: newId("evt"),
      platformId: customer.platformId,
      liveMode: customer.liveMode,
      customerId: customer.id,
      type: "subscription.activated",
      data: {
        customer_id: customer.id,
        subscription_id: s.subscriptionId,
        occurred_at: at.toISOString(),
        product: { id: s.productId, code: s.code, version: s.version ?? "default" },
      },
      createdAt: at,
    })),
  });
}
