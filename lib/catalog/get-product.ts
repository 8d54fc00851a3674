import { prisma } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { productFromRow, versionFromRow } from "./product-records";
import type { ProductVersion, ProductVersionRef, ProductWithVersions } from "./types";
import type { Tenant } from "@/lib/tenant";

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

/**
 * One version of the tenant's product, whatever its status (simulation works on drafts);
 * `"default"` is the product's default version (404 while it has none).
 */
export async function getProductVersionOrThrow(
  tenant: Tenant,
  id: string,
  ref: ProductVersionRef,
): Promise<{ productId: string; version: ProductVersion }> {
  const version = ref === "default" ? await defaultVersionOrThrow(tenant, id) : ref;
  const row = await prisma().productVersion.findFirst({
    where: { productId: id, version, product: { platformId: tenant.platformId, liveMode: tenant.liveMode } },
    include: { product: { select: { defaultVersion: true } } },
  });
  if (!row) throw new NotFoundError(`No version ${version} of product ${id}`);
  return { productId: id, version: versionFromRow(row, row.product.defaultVersion) };
}

async function defaultVersionOrThrow(tenant: Tenant, id: string): Promise<number> {
  const product = await prisma().product.findFirst({
    where: { id, platformId: tenant.platformId, liveMode: tenant.liveMode },
    select: { defaultVersion: true },
  });
  if (!product) throw new NotFoundError(`No product ${id}`);
  if (product.defaultVersion === null) throw new NotFoundError(`Product ${id} has no default version yet: publish one`);
  return product.defaultVersion;
}
