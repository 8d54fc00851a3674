import type { z } from "zod";
import { amountToJson } from "@/lib/money";
import type { ChargedFee, EventFee, EventResult } from "@/lib/usage/ingest-events";
import type { UsageEvent } from "@/lib/usage/list-events";
import type { sendEventsResponse, usageEventRecordSchema } from "../schemas/events";

/**
 * Usage events on the wire (lib/api/schemas/events.ts): snake_case, dates as ISO text, money
 * as JSON numbers (`amountToJson`, the seed's shape). Typed by the response schemas' input,
 * so a field the contract does not declare, or declares differently, fails to compile.
 */
type EventResultJson = z.input<typeof sendEventsResponse>["results"][number];
export type UsageEventJson = z.input<typeof usageEventRecordSchema>;

function feeJson(f: EventFee) {
  return {
    amount: amountToJson(f.amount),
    asset: f.asset,
    account_id: f.accountId,
    product_id: f.productId,
    product_version: f.productVersion,
    price_name: f.priceName,
  };
}

function chargedFeeJson(f: ChargedFee): EventResultJson["fees"][number] {
  return { ...feeJson(f), ...(f.balanceAfter ? { balance_after: amountToJson(f.balanceAfter) } : {}) };
}

export function eventResultJson(r: EventResult): EventResultJson {
  return {
    id: r.id,
    status: r.status,
    ...(r.reason !== undefined ? { reason: r.reason } : {}),
    ...(r.detail !== undefined ? { detail: r.detail } : {}),
    fees: r.fees.map(chargedFeeJson),
  };
}

export function usageEventJson(e: UsageEvent): UsageEventJson {
  return {
    id: e.id,
    customer_id: e.customerId,
    event_type: e.eventType,
    occurred_at: e.occurredAt.toISOString(),
    subject: e.subject,
    description: e.description,
    data: e.data,
    status: e.status,
    reason: e.reason,
    fees: e.fees.map(feeJson),
    source_reference: e.sourceReference,
    costs: e.costs.map((c) => ({
      vendor_id: c.vendorId,
      amount: amountToJson(c.amount),
      currency: c.currency,
      description: c.description,
      dimensions: c.dimensions,
    })),
    hold_id: e.holdId,
    created_at: e.createdAt.toISOString(),
  };
}
