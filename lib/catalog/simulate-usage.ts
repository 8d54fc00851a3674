import { priceEvent, type Fee, type UnbilledReason, type UsageEventInput } from "@/lib/pricing";
import { getProductVersionOrThrow } from "./get-product";
import { toSubscribedPrices } from "./price-definition";
import type { ProductVersionRef } from "./types";
import type { Tenant } from "@/lib/tenant";

export interface SimulatedEvent {
  event_type: string;
  status: "billed" | "unbilled";
  reason?: UnbilledReason;
  detail?: string;
  fees: Fee[];
}

/**
 * `POST /products/{id}/{version}/simulate-usage`: the fees these events would incur on
 * this version alone (drafts included, so a price can be checked before publishing).
 * Reads only; charges nothing, stores nothing. Same pricing code as real events.
 */
export async function simulateUsage(
  tenant: Tenant,
  productId: string,
  version: ProductVersionRef,
  events: readonly UsageEventInput[],
): Promise<SimulatedEvent[]> {
  const found = await getProductVersionOrThrow(tenant, productId, version);
  const prices = toSubscribedPrices(productId, found.version.version, found.version.prices);
  return events.map((event) => {
    const priced = priceEvent(prices, event);
    return priced.unbilledReason
      ? { event_type: event.event_type, status: "unbilled", reason: priced.unbilledReason, detail: priced.detail, fees: [] }
      : { event_type: event.event_type, status: "billed", fees: priced.fees };
  });
}
