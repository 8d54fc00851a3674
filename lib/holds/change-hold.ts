import { assertCustomerOfTenant } from "@/lib/customers/customers";
import { ValidationError } from "@/lib/errors";
import { runInCustomerBatch } from "@/lib/ledger";
import type { Tenant } from "@/lib/tenant";
import { holdWebhookData, webhookEvent } from "@/lib/webhooks/ledger-outbox";
import { toHold, type Hold } from "./hold";
import { HOLD_MIN_TTL_MS } from "./create-hold";

/**
 * Closes an open hold and gives back what it still reserves. 404 for another customer's
 * hold, 409 once it is captured, released or expired.
 */
export async function releaseHold(tenant: Tenant, customerId: string, holdId: string): Promise<Hold> {
  await assertCustomerOfTenant(tenant, customerId);
  return runInCustomerBatch(customerId, {
    idempotencyKeys: [],
    holdKeys: [holdId],
    apply: (wallet) => {
      const hold = wallet.closeHold(holdId, "released");
      wallet.emit(webhookEvent("hold.released", holdWebhookData(customerId, hold)));
      return toHold(customerId, hold, wallet.now);
    },
  });
}

/** The heartbeat of a stream: a new expiry (at least a minute away, at most 24 h after the hold was made). */
export async function extendHold(tenant: Tenant, customerId: string, holdId: string, change: { ttlSeconds?: number; expiresAt?: Date }): Promise<Hold> {
  await assertCustomerOfTenant(tenant, customerId);
  const requested = change.expiresAt;
  if (requested && requested.getTime() < Date.now() + HOLD_MIN_TTL_MS) {
    throw new ValidationError("expires_at must be at least 60 s from now", [{ field: "expires_at", message: "must be at least 60 s from now" }]);
  }
  return runInCustomerBatch(customerId, {
    idempotencyKeys: [],
    holdKeys: [holdId],
    apply: (wallet) => {
      const expiresAt = requested ?? new Date(wallet.now.getTime() + change.ttlSeconds! * 1000);
      return toHold(customerId, wallet.extendHold(holdId, expiresAt), wallet.now);
    },
  });
}
