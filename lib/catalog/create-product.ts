import { isUniqueViolation, prisma } from "@/lib/db";
import { ConflictError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { invalidateCatalogCache } from "./catalog-cache";
import { pricesToStored } from "./price-definition";
import { assertKnownAssets, productFromRow, versionFromRow } from "./product-records";
import { storedPriceInputs, validatePrices } from "./validate-prices";
import type { PriceInput, ProductWithVersion } from "./types";
import type { Tenant } from "@/lib/tenant";

export interface CreateProductInput {
  name: string;
  code: string;
  /** true: version 1 is published and becomes the default; otherwise it is a draft. */
  publish?: boolean;
  prices: PriceInput[];
}

/**
 * Creates a product with its version 1 in one statement (no partial write). `code` is
 * unique per platform and mode (409); the prices must keep their rules (validate-prices.ts)
 * and every price asset must exist (422). A product
 * created as a draft has no default version until one is published.
 */
export async function createProduct(tenant: Tenant, input: CreateProductInput): Promise<ProductWithVersion> {
  validatePrices(input.prices);
  await assertKnownAssets(tenant, input.prices);
  const published = input.publish === true;
  try {
    const row = await prisma().product.create({
      data: {
        id: newId("prp"),
        platformId: tenant.platformId,
        liveMode: tenant.liveMode,
        code: input.code,
        name: input.name,
        defaultVersion: published ? 1 : null,
        versions: {
          create: {
            version: 1,
            status: published ? "published" : "draft",
            prices: pricesToStored(storedPriceInputs(input.prices)) as object,
            publishedAt: published ? new Date() : null,
          },
        },
      },
      include: { versions: true },
    });
    invalidateCatalogCache({ platformId: tenant.platformId, productId: row.id });
    const [version] = row.versions;
    return { ...productFromRow(row, 1), current: versionFromRow(version!, row.defaultVersion) };
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ConflictError(`Product ${input.code} already exists; add a version with POST /products/{id}`, [
        { field: "code", message: "Already exists" },
      ]);
    }
    throw error;
  }
}
