import { updateProductVersion, type UpdateProductVersionInput } from "@/lib/catalog/update-product-version";
import type { ProductVersionRef, ProductWithVersion } from "@/lib/catalog/types";
import { recordAuditEvent } from "./audit-events";
import type { ConsoleContext } from "./operator-sessions";

/**
 * Publishes a product version and/or makes it the default: PATCH /products/{id}/{version}'s
 * own domain function (its rules: publishing is one-way, a draft cannot be the default
 * alone), then the audit event.
 */
export async function updateConsoleProductVersion(
  ctx: ConsoleContext,
  productId: string,
  version: ProductVersionRef,
  input: UpdateProductVersionInput,
): Promise<ProductWithVersion> {
  const product = await updateProductVersion(ctx.tenant, productId, version, input);
  await recordAuditEvent(ctx, {
    action: "product_version.updated",
    targetType: "product",
    targetId: productId,
    detail: { version: product.current.version, publish: input.publish ?? false, is_default: input.isDefault ?? false },
  });
  return product;
}
