import type { Tenant } from "@/lib/tenant";
import { prisma } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { topUpFromRow, type TopUp } from "./top-up";
import { NEWEST_FIRST, type Page, paginate } from "@/lib/pagination";

/**
 * The tenant's top-ups, newest first, optionally of one customer (the route answers 404 for
 * a customer id that is not the tenant's, as GET /events does).
 */
export async function listTopUps(
  tenant: Tenant,
  filter: { customerId?: string; status?: string },
  page: Page,
): Promise<{ items: TopUp[]; total: number }> {
  const where: Prisma.TopUpWhereInput = {
    platformId: tenant.platformId,
    liveMode: tenant.liveMode,
    ...(filter.customerId !== undefined ? { customerId: filter.customerId } : {}),
    ...(filter.status !== undefined ? { status: filter.status } : {}),
  };
  const { items, total } = await paginate(
    page,
    (window) => prisma().topUp.findMany({ where, orderBy: NEWEST_FIRST, ...window }),
    () => prisma().topUp.count({ where }),
  );
  return { items: items.map(topUpFromRow), total };
}
