import { assertCustomerOfTenant } from "@/lib/customers/customers";
import type { Tenant } from "@/lib/tenant";
import { ingestEventsIntoHold, type EventResult, type UsageEventInput } from "@/lib/usage/ingest-events";
import { holdWebhookData, webhookEvent } from "@/lib/webhooks/ledger-outbox";
import { readHoldOrThrow, toHold, type Hold } from "./hold";
import { ValidationError } from "@/lib/errors";

/**
 * Charges the events from the hold first (then from the balance, within overdraft), closes
 * it and releases what is left, all in one ledger batch: a capture racing the expiry job
 * or a release has one outcome (the hold closed first answers 409 and charges nothing).
 */
export async function captureHold(
  tenant: Tenant,
  customerId: string,
  holdId: string,
  events: UsageEventInput[],
): Promise<{ hold: Hold; results: EventResult[] }> {
  await assertCustomerOfTenant(tenant, customerId);
  await readHoldOrThrow(customerId, holdId);
  const other = events.findIndex((e) => e.hold_id !== undefined && e.hold_id !== holdId);
  if (other >= 0) {
    throw new ValidationError("a capture's events belong to its hold", [{ field: `events/${other}/hold_id`, message: "must be this hold (or left out)" }]);
  }
  const { results, then } = await ingestEventsIntoHold(tenant, customerId, events, {
    holdId,
    then: {
      idempotencyKeys: [],
      holdKeys: [holdId],
      apply: (wallet) => {
        const hold = wallet.closeHold(holdId, "captured");
        wallet.emit(webhookEvent("hold.captured", holdWebhookData(customerId, hold)));
        return toHold(customerId, hold, wallet.now);
      },
    },
  });
  return { hold: then!, results };
}
