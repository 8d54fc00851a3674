import type { Tenant } from "@/lib/tenant";
import { prisma } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import type { Prisma, UsageEvent } from "@/lib/generated/prisma/client";
import { amountToJson } from "@/lib/money";
import type { StoredFee } from "./ingest-events";

export interface UsageEventJson {
  id: string;
  customer_id: string;
  event_type: string;
  occurred_at: string;
  subject: string | null;
  description: string | null;
  data: unknown;
  status: string;
  reason: string | null;
  fees: (Omit<StoredFee, "amount"> & { amount: number })[];
  /** The value of the price's `source_reference_field` in `data`; null when none. */
  source_reference: string | null;
  created_at: string;
}

export function eventToJson(e: UsageEvent): UsageEventJson {
  return {
    id: e.eventId,
    customer_id: e.customerId,
    event_type: e.eventType,
    occurred_at: e.occurredAt.toISOString(),
    subject: e.subject,
    description: e.description,
    data: e.data,
    status: e.status,
    reason: e.reason,
    fees: (e.fees as unknown as StoredFee[]).map((f) => ({ ...f, amount: amountToJson(f.amount) })),
    source_reference: e.sourceReference,
    created_at: e.createdAt.toISOString(),
  };
}

/** Newest first. `customerId`, when given, must be the tenant's (checked by the caller). */
export async function listEvents(
  tenant: Tenant,
  filter: { customerId?: string; status?: string; eventType?: string; sourceReference?: string },
  page: { limit: number; offset: number },
): Promise<{ items: UsageEventJson[]; total: number }> {
  const where: Prisma.UsageEventWhereInput = {
    platformId: tenant.platformId,
    liveMode: tenant.liveMode,
    ...(filter.customerId !== undefined ? { customerId: filter.customerId } : {}),
    ...(filter.status !== undefined ? { status: filter.status } : {}),
    ...(filter.eventType !== undefined ? { eventType: filter.eventType } : {}),
    ...(filter.sourceReference !== undefined ? { sourceReference: filter.sourceReference } : {}),
  };
  const [rows, total] = await Promise.all([
    prisma().usageEvent.findMany({ where, orderBy: [{ createdAt: "desc" }, { eventId: "desc" }], take: page.limit, skip: page.offset }),
    prisma().usageEvent.count({ where }),
  ]);
  return { items: rows.map(eventToJson), total };
}

/**
 * One event by the platform's event id. Event ids are unique per customer; when two of the
 * tenant's customers used the same id, `customerId` picks one (without it: the newest).
 */
export async function getEventOrThrow(tenant: Tenant, eventId: string, customerId?: string): Promise<UsageEventJson> {
  const event = await prisma().usageEvent.findFirst({
    where: { platformId: tenant.platformId, liveMode: tenant.liveMode, eventId, ...(customerId ? { customerId } : {}) },
    orderBy: { createdAt: "desc" },
  });
  if (!event) throw new NotFoundError(`no event ${eventId}`);
  return eventToJson(event);
}
