import { prisma } from "@/lib/db";
import { paginate } from "@/lib/pagination";
import { productFromRow } from "./product-records";
import type { Product } from "./types";
import type { Tenant } from "@/lib/tenant";

/** `GET /products`: the tenant's products (or the one with `code`), oldest first, without their prices. */
export async function listProducts(
  tenant: Tenant,
  page: { limit: number; offset: number; code?: string },
): Promise<{ items: Product[]; total: number }> {
  const where = { platformId: tenant.platformId, liveMode: tenant.liveMode, ...(page.code === undefined ? {} : { code: page.code }) };
  const { items: rows, total } = await paginate(
    page,
    (window) =>
      prisma().product.findMany({
        where,
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        include: { versions: { select: { version: true }, orderBy: { version: "desc" }, take: 1 } },
        ...window,
      }),
    () => prisma().product.count({ where }),
  );
  return { items: rows.map((row) => productFromRow(row, row.versions[0]?.version ?? 0)), total };
}
