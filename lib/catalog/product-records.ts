import type { Product as ProductRow, ProductVersion as VersionRow } from "@/lib/generated/prisma/client";
import { prisma } from "@/lib/db";
import { NotFoundError, ValidationError } from "@/lib/errors";
import type { CatalogDb } from "./catalog-db";
import { unknownAssetCodes } from "./get-asset";
import { pricedAssets, pricesFromStored } from "./price-definition";
import type { PriceInput, Product, ProductVersion, ProductVersionStatus } from "./types";
import type { Tenant } from "@/lib/tenant";

export function productFromRow(row: ProductRow, latestVersion: number): Product {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    defaultVersion: row.defaultVersion,
    latestVersion,
    createdAt: row.createdAt,
  };
}

export function versionFromRow(row: VersionRow, defaultVersion: number | null): ProductVersion {
  return {
    version: row.version,
    status: row.status as ProductVersionStatus,
    isDefault: row.version === defaultVersion,
    prices: pricesFromStored(row.prices),
    createdAt: row.createdAt,
    publishedAt: row.publishedAt,
  };
}

/** The tenant's product row; another platform's id is indistinguishable from a missing one. */
export async function findProductRowOrThrow(tenant: Tenant, id: string, db: CatalogDb = prisma()): Promise<ProductRow> {
  const row = await db.product.findFirst({ where: { id, platformId: tenant.platformId, liveMode: tenant.liveMode } });
  if (!row) throw new NotFoundError(`No product ${id}`);
  return row;
}

/** Locks the product row until the transaction ends: version numbers and the default change one writer at a time. */
export async function lockProduct(tx: CatalogDb, id: string): Promise<ProductRow> {
  await tx.$queryRaw`SELECT 1 FROM products WHERE id = ${id} FOR UPDATE`;
  return tx.product.findUniqueOrThrow({ where: { id } });
}

/** 422 on each price asset that is neither fiat nor one of the tenant's assets. */
export async function assertKnownAssets(tenant: Tenant, prices: readonly PriceInput[]): Promise<void> {
  const refs = pricedAssets(prices);
  const unknown = await unknownAssetCodes(tenant, refs.map((r) => r.asset));
  if (unknown.size === 0) return;
  const errors = refs.filter((r) => unknown.has(r.asset)).map((r) => ({ field: r.field, message: `Unknown asset ${r.asset}; create it with POST /assets` }));
  throw new ValidationError(`Unknown asset${unknown.size > 1 ? "s" : ""} ${[...unknown].join(", ")}`, errors);
}
