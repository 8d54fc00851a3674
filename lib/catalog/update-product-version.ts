import { prisma } from "@/lib/db";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { invalidateCatalogCache } from "./catalog-cache";
import { findProductRowOrThrow, lockProduct, productFromRow, versionFromRow } from "./product-records";
import type { ProductVersionRef, ProductWithVersion } from "./types";
import type { Tenant } from "@/lib/tenant";

export interface UpdateProductVersionInput {
  /** draft → published. Publishing an already published version changes nothing. */
  publish?: boolean;
  /** Make this (published, or published by this same call) version the default. */
  isDefault?: boolean;
}

/**
 * `PATCH /products/{id}/{version}`. Publishing is one-way (subscriptions may point at a
 * published version, so it never goes back to draft); the first published version of a
 * product becomes its default. Making a draft the default is a 409: publish it first,
 * or send both flags. Runs under the product's row lock. `"default"` names the version that
 * is the default when the lock is taken (404 while there is none).
 */
export async function updateProductVersion(
  tenant: Tenant,
  productId: string,
  ref: ProductVersionRef,
  input: UpdateProductVersionInput,
): Promise<ProductWithVersion> {
  await findProductRowOrThrow(tenant, productId);
  const result = await prisma().$transaction(async (tx) => {
    let product = await lockProduct(tx, productId);
    const version = ref === "default" ? product.defaultVersion : ref;
    if (version === null) throw new NotFoundError(`Product ${productId} has no default version yet: publish one`);
    let row = await tx.productVersion.findUnique({ where: { productId_version: { productId, version } } });
    if (!row) throw new NotFoundError(`Product ${productId} has no version ${version}`);

    if (input.publish && row.status === "draft") {
      row = await tx.productVersion.update({
        where: { productId_version: { productId, version } },
        data: { status: "published", publishedAt: new Date() },
      });
    }
    if (input.isDefault && row.status !== "published") {
      throw new ConflictError(`Version ${version} is a draft; publish it before making it the default`, [
        { field: "is_default", message: "Version is not published" },
      ]);
    }
    const makeDefault = row.status === "published" && (input.isDefault === true || product.defaultVersion === null);
    if (makeDefault && product.defaultVersion !== version) {
      product = await tx.product.update({ where: { id: productId }, data: { defaultVersion: version } });
    }
    const latest = await tx.productVersion.aggregate({ where: { productId }, _max: { version: true } });
    return { ...productFromRow(product, latest._max.version ?? version), current: versionFromRow(row, product.defaultVersion) };
  });
  invalidateCatalogCache({ platformId: tenant.platformId, productId });
  return result;
}
