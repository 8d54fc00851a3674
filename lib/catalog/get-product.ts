import { prisma } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { productFromRow, versionFromRow } from "./product-records";
import type { ProductVersion, ProductWithVersions, Tenant } from "./types";

/** `GET /products/{id}`: the product with all its versions, oldest first. 404 for another platform's id. */
export async function getProductOrThrow(tenant: Tenant, id: string): Promise<ProductWithVersions> {
  const row = await prisma().product.findFirst({
    where: { id, platformId: tenant.platformId, liveMode: tenant.liveMode },
    include: { versions: { orderBy: { version: "asc" } } },
  });
  if (!row) throw new NotFoundError(`No product ${id}`);
  const versions = row.versions.map((v) => versionFromRow(v, row.defaultVersion));
  return { ...productFromRow(row, versions.at(-1)?.version ?? 0), versions };
}

/** One version of the tenant's product, whatever its status (simulation works on drafts). */
export async function getProductVersionOrThrow(tenant: Tenant, id: string, version: number): Promise<{ productId: string; version: ProductVersion }> {
  const row = await prisma().productVersion.findFirst({
    where: { productId: id, version, product: { platformId: tenant.platformId, liveMode: tenant.liveMode } },
    include: { product: { select: { defaultVersion: true } } },
  });
  if (!row) throw new NotFoundError(`No version ${version} of product ${id}`);
  return { productId: id, version: versionFromRow(row, row.product.defaultVersion) };
}
