import type { Tenant } from "@/lib/tenant";
import { prisma } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import type { Prisma, UsageEvent as UsageEventRow } from "@/lib/generated/prisma/client";
import { Dec } from "@/lib/money";
import { eventFees, type EventFee, type StoredCost, type StoredEventStatus, type StoredFee } from "./ingest-events";
import { type Page, paginate } from "@/lib/pagination";

/** A stored usage event with the fees it was priced at (lib/api/serializers/usage.ts: its wire shape). */
export interface UsageEvent {
  id: string;
  customerId: string;
  eventType: string;
  occurredAt: Date;
  subject: string | null;
  description: string | null;
  /** The event's data as sent. */
  data: Record<string, unknown>;
  status: StoredEventStatus;
  reason: string | null;
  fees: EventFee[];
  /** The value of the price's `source_reference_field` in `data`; null when none. */
  sourceReference: string | null;
  /** The vendor costs sent with the event (never charged). */
  costs: EventCost[];
  /** The hold the event was sent against (its `hold_id`, or a capture's hold); null when none. */
  holdId: string | null;
  createdAt: Date;
}

export interface EventCost {
  vendorId: string;
  amount: Dec;
  currency: string;
  description: string | null;
  dimensions: Record<string, unknown> | null;
}

function eventCosts(stored: StoredCost[] | null): EventCost[] {
  return (stored ?? []).map((c) => ({
    vendorId: c.vendor_id,
    amount: new Dec(c.amount),
    currency: c.currency,
    description: c.description,
    dimensions: c.dimensions,
  }));
}

function toUsageEvent(e: UsageEventRow): UsageEvent {
  return {
    id: e.eventId,
    customerId: e.customerId,
    eventType: e.eventType,
    occurredAt: e.occurredAt,
    subject: e.subject,
    description: e.description,
    // Written only by ingestEvents: `data` as the request's schema admitted it (an object,
    // `{}` when absent), `status` one of the three, `fees` StoredFee[].
    data: e.data as Record<string, unknown>,
    status: e.status as StoredEventStatus,
    reason: e.reason,
    fees: eventFees(e.fees as unknown as StoredFee[]),
    sourceReference: e.sourceReference,
    costs: eventCosts(e.costs as unknown as StoredCost[] | null),
    holdId: e.holdId,
    createdAt: e.createdAt,
  };
}

/** Newest first. `customerId`, when given, must be the tenant's (checked by the caller). */
export async function listEvents(
  tenant: Tenant,
  filter: {
    customerId?: string;
    status?: StoredEventStatus;
    eventType?: string;
    sourceReference?: string;
    /** Why it was unbilled or refused (`no_matching_price`, `insufficient_funds`, …): the console's explorer. */
    reason?: string;
    /** `occurred_at` in [from, to): the console's explorer. */
    occurredFrom?: Date;
    occurredTo?: Date;
    /** Events sent against this hold: give its customer too (no index on hold_id; one customer's events are scanned). */
    holdId?: string;
  },
  page: Page,
): Promise<{ items: UsageEvent[]; total: number }> {
  const where: Prisma.UsageEventWhereInput = {
    platformId: tenant.platformId,
    liveMode: tenant.liveMode,
    ...(filter.customerId !== undefined ? { customerId: filter.customerId } : {}),
    ...(filter.status !== undefined ? { status: filter.status } : {}),
    ...(filter.eventType !== undefined ? { eventType: filter.eventType } : {}),
    ...(filter.sourceReference !== undefined ? { sourceReference: filter.sourceReference } : {}),
    ...(filter.reason !== undefined ? { reason: filter.reason } : {}),
    ...(filter.holdId !== undefined ? { holdId: filter.holdId } : {}),
    ...(filter.occurredFrom !== undefined || filter.occurredTo !== undefined
      ? { occurredAt: { ...(filter.occurredFrom ? { gte: filter.occurredFrom } : {}), ...(filter.occurredTo ? { lt: filter.occurredTo } : {}) } }
      : {}),
  };
  const { items: rows, total } = await paginate(
    page,
    (window) => prisma().usageEvent.findMany({ where, orderBy: [{ createdAt: "desc" }, { eventId: "desc" }], ...window }),
    () => prisma().usageEvent.count({ where }),
  );
  return { items: rows.map(toUsageEvent), total };
}

/**
 * One event by the platform's event id. Event ids are unique per customer; when two of the
 * tenant's customers used the same id, `customerId` picks one (without it: the newest).
 */
export async function getEventOrThrow(tenant: Tenant, eventId: string, customerId?: string): Promise<UsageEvent> {
  const event = await prisma().usageEvent.findFirst({
    where: { platformId: tenant.platformId, liveMode: tenant.liveMode, eventId, ...(customerId ? { customerId } : {}) },
    orderBy: { createdAt: "desc" },
  });
  if (!event) throw new NotFoundError(`no event ${eventId}`);
  return toUsageEvent(event);
}
