import type { Tenant } from "@/lib/tenant";
import { prisma } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { topUpFromRow, type TopUp } from "./top-up";

/** The tenant's top-up, or NotFoundError (also for another platform's or mode's id). */
export async function getTopUpOrThrow(tenant: Tenant, topUpId: string): Promise<TopUp> {
  const topUp = await prisma().topUp.findFirst({
    where: { id: topUpId, platformId: tenant.platformId, liveMode: tenant.liveMode },
  });
  if (!topUp) throw new NotFoundError(`no top-up ${topUpId}`);
  return topUpFromRow(topUp);
}
