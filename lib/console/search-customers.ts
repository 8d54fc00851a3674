import { prisma } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Tenant } from "@/lib/tenant";

export interface CustomerSearchHit {
  id: string;
  name: string | null;
  email: string | null;
  externalId: string | null;
  createdAt: Date;
}

/**
 * The console's customer search, within the tenant: an exact id or external id, or a
 * part of the name or email (case-insensitive). An empty query lists the newest.
 */
export async function searchCustomers(tenant: Tenant, query: string, limit = 50): Promise<CustomerSearchHit[]> {
  const q = query.trim().slice(0, 200);
  const scope: Prisma.CustomerWhereInput = { platformId: tenant.platformId, liveMode: tenant.liveMode };
  const where: Prisma.CustomerWhereInput = q
    ? {
        ...scope,
        OR: [
          { id: q },
          { externalId: q },
          { name: { contains: q, mode: "insensitive" } },
          { email: { contains: q, mode: "insensitive" } },
        ],
      }
    : scope;
  return prisma().customer.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: { id: true, name: true, email: true, externalId: true, createdAt: true },
  });
}
