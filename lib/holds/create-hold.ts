import { subscribedPrices } from "@/lib/catalog";
import { assertCustomerOfTenant } from "@/lib/customers/customers";
import { ValidationError } from "@/lib/errors";
import { hashRequest, runInCustomerBatch, type ChargeLeg } from "@/lib/ledger";
import type { Dec } from "@/lib/money";
import { priceEvent } from "@/lib/pricing";
import type { Tenant } from "@/lib/tenant";
import { USAGE_ACCOUNT } from "@/lib/usage/ingest-events";
import { holdWebhookData, webhookEvent } from "@/lib/webhooks/ledger-outbox";
import { toHold, type Hold } from "./hold";

export const HOLD_DEFAULT_TTL_MS = 15 * 60_000;
export const HOLD_MIN_TTL_MS = 60_000;

export interface CreateHoldRequest {
  /** The client's id for the hold (its idempotency key). */
  id: string;
  accountName: string;
  amount?: Dec;
  asset?: string;
  /** A usage event priced by the customer's prices, as POST /events would. */
  estimate?: { event_type: string; data?: Record<string, unknown> };
  ttlSeconds?: number;
  expiresAt?: Date;
  subject?: string | null;
  metadata?: Record<string, unknown>;
}

/**
 * Reserves funds on the customer's accounts: a fixed amount, or what an estimated event
 * would cost (each fee's asset on the usage account). In the customer's ledger batch, so
 * it is checked against the same available amount as every concurrent charge and hold.
 * A repeat of the same `id` with the same request answers the stored hold (`replayed`).
 */
export async function createHold(tenant: Tenant, customerId: string, request: CreateHoldRequest): Promise<{ hold: Hold; replayed: boolean }> {
  await assertCustomerOfTenant(tenant, customerId);
  const legs = await holdLegs(customerId, request);
  if (request.expiresAt && request.expiresAt.getTime() < Date.now() + HOLD_MIN_TTL_MS) {
    throw new ValidationError("expires_at must be at least 60 s from now", [{ field: "expires_at", message: "must be at least 60 s from now" }]);
  }
  // The request as sent (ttl, not the expiry it gives now): a retry a second later is the same request.
  const requestHash = hashRequest({
    accountName: request.accountName,
    amount: request.amount,
    asset: request.asset,
    estimate: request.estimate,
    ttlSeconds: request.ttlSeconds,
    expiresAt: request.expiresAt,
    subject: request.subject ?? null,
    metadata: request.metadata,
  });
  const { hold, replayed } = await runInCustomerBatch(customerId, {
    idempotencyKeys: [],
    holdKeys: [request.id],
    apply: (wallet) => {
      const result = wallet.createHold({
        reference: request.id,
        requestHash,
        legs,
        // A ttl counts from the batch's clock, which is also the hold's created_at.
        expiresAt: request.expiresAt ?? new Date(wallet.now.getTime() + (request.ttlSeconds !== undefined ? request.ttlSeconds * 1000 : HOLD_DEFAULT_TTL_MS)),
        subject: request.subject ?? null,
        metadata: request.metadata ?? null,
      });
      if (!result.replayed) wallet.emit(webhookEvent("hold.created", holdWebhookData(customerId, result.hold)));
      return { hold: toHold(customerId, result.hold, wallet.now), replayed: result.replayed };
    },
  });
  return { hold, replayed };
}

async function holdLegs(customerId: string, request: CreateHoldRequest): Promise<ChargeLeg[]> {
  if (request.amount !== undefined && request.asset !== undefined) {
    return [{ accountName: request.accountName, asset: request.asset, amount: request.amount }];
  }
  const estimate = request.estimate!;
  const priced = priceEvent(await subscribedPrices(customerId), { event_type: estimate.event_type, data: estimate.data ?? {} });
  if (priced.unbilledReason || priced.fees.length === 0) {
    throw new ValidationError(`the estimate matches no price: ${priced.detail ?? priced.unbilledReason ?? "it costs nothing"}`, [
      { field: "estimate", message: priced.detail ?? "matches no price of the customer" },
    ]);
  }
  // Usage fees are drawn from the usage account, so that is where the estimate is held.
  return priced.fees.map((f) => ({ accountName: USAGE_ACCOUNT, asset: f.asset, amount: f.amount }));
}
