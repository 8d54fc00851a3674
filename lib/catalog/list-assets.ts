import { prisma } from "@/lib/db";
import { assetFromRow } from "./asset-records";
import type { Asset } from "./types";
import type { Tenant } from "@/lib/tenant";
import { type Page, paginate } from "@/lib/pagination";

/**
 * The tenant's custom assets, oldest first. Built-in fiat currencies are not listed
 * (they exist for every platform); `GET /assets/USD` still answers them.
 */
export async function listAssets(tenant: Tenant, page: Page): Promise<{ items: Asset[]; total: number }> {
  const where = { platformId: tenant.platformId, liveMode: tenant.liveMode };
  const { items, total } = await paginate(
    page,
    (window) => prisma().asset.findMany({ where, orderBy: [{ createdAt: "asc" }, { code: "asc" }], ...window }),
    () => prisma().asset.count({ where }),
  );
  return { items: items.map(assetFromRow), total };
}
