import { prisma } from "@/lib/db";
import { ValidationError } from "@/lib/errors";
import { invalidateCatalogCache } from "./catalog-cache";
import { pricesToStored } from "./price-definition";
import { assertKnownAssets, findProductRowOrThrow, lockProduct, productFromRow, versionFromRow } from "./product-records";
import { storedPriceInputs, validatePrices } from "./validate-prices";
import type { PriceInput, ProductWithVersion } from "./types";
import type { Tenant } from "@/lib/tenant";

export interface CreateProductVersionInput {
  prices: PriceInput[];
  /** Renames the product: a product has one name, shared by all its versions. */
  name?: string;
  /** Publish the new version at once (it becomes the default only if there is none). */
  publish?: boolean;
  /** Make the new version the default (needs `publish`). */
  isDefault?: boolean;
}

/**
 * `POST /products/{id}`: adds version n+1 with new prices. Published versions never change,
 * so a price change is always a new version; customers pinned to an older version keep
 * it, customers on "default" move when the default moves. Version numbers are allocated
 * under a row lock on the product, so concurrent calls get consecutive numbers. The prices
 * keep their rules (validate-prices.ts) and name existing assets, or nothing is written (422).
 */
export async function createProductVersion(tenant: Tenant, productId: string, input: CreateProductVersionInput): Promise<ProductWithVersion> {
  await findProductRowOrThrow(tenant, productId);
  if (input.isDefault && !input.publish) {
    throw new ValidationError("Only a published version can be the default", [{ field: "is_default", message: "Needs publish: true" }]);
  }
  validatePrices(input.prices);
  await assertKnownAssets(tenant, input.prices);
  const published = input.publish === true;

  const result = await prisma().$transaction(async (tx) => {
    const product = await lockProduct(tx, productId);
    const last = await tx.productVersion.aggregate({ where: { productId }, _max: { version: true } });
    const version = (last._max.version ?? 0) + 1;
    const row = await tx.productVersion.create({
      data: {
        productId,
        version,
        status: published ? "published" : "draft",
        prices: pricesToStored(storedPriceInputs(input.prices)) as object,
        publishedAt: published ? new Date() : null,
      },
    });
    const makeDefault = published && (input.isDefault === true || product.defaultVersion === null);
    const changes = {
      ...(makeDefault ? { defaultVersion: version } : {}),
      ...(input.name !== undefined && input.name !== product.name ? { name: input.name } : {}),
    };
    const updated = Object.keys(changes).length > 0 ? await tx.product.update({ where: { id: productId }, data: changes }) : product;
    return { ...productFromRow(updated, version), current: versionFromRow(row, updated.defaultVersion) };
  });
  invalidateCatalogCache({ platformId: tenant.platformId, productId });
  return result;
}
