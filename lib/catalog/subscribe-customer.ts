import { prisma } from "@/lib/db";
import { NotFoundError, ValidationError, type FieldError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { requestWebhookDispatch } from "@/lib/webhooks/request-webhook-dispatch";
import { recordSubscriptionsActivated, type ActivatedSubscription } from "@/lib/webhooks/subscription-activated";
import { invalidateCatalogCache } from "./catalog-cache";
import type { CatalogDb } from "./catalog-db";
import type { Tenant } from "@/lib/tenant";

export interface SubscriptionRequest {
  /** The product, by code (as in PRODUCT.md) or by id. */
  code?: string;
  id?: string;
  /** A published version to pin, or "default" (the default) to follow the product's default. */
  version?: number | "default";
  /** Where this item sits in the caller's request, for 422 field errors. */
  field?: string;
}

export interface CustomerSubscription {
  productId: string;
  code: string;
  /** null: follows the product's default version. */
  version: number | null;
}

/**
 * Subscribes a customer of the tenant to products (an existing subscription to the same
 * product is replaced). Each product must be the tenant's; a pinned version must be
 * published; "default" needs the product to have a default. Otherwise 422 and nothing is
 * written. A product the customer had no subscription to gets a `subscription.activated`
 * webhook event in the same transaction: the upsert's row keeps the id generated here
 * only when it created the row, so two concurrent calls announce it once.
 */
export async function subscribeCustomer(tenant: Tenant, customerId: string, requests: readonly SubscriptionRequest[]): Promise<CustomerSubscription[]> {
  const { resolved, activated } = await prisma().$transaction(async (tx) => {
    const customer = await tx.customer.findFirst({
      where: { id: customerId, platformId: tenant.platformId, liveMode: tenant.liveMode },
      select: { id: true, platformId: true, liveMode: true },
    });
    if (!customer) throw new NotFoundError(`No customer ${customerId}`);
    const resolved = await resolveSubscriptions(tenant, requests, tx);
    const activated: ActivatedSubscription[] = [];
    for (const s of resolved) {
      const id = newId("sub");
      const row = await tx.subscription.upsert({
        where: { customerId_productId: { customerId, productId: s.productId } },
        create: { id, customerId, productId: s.productId, version: s.version },
        update: { version: s.version },
        select: { id: true },
      });
      if (row.id === id) activated.push({ ...s, subscriptionId: id });
    }
    await recordSubscriptionsActivated(tx, customer, activated);
    return { resolved, activated };
  });
  invalidateCatalogCache({ platformId: tenant.platformId, customerId });
  if (activated.length > 0) requestWebhookDispatch();
  return resolved;
}

/** Validates subscription requests against the tenant's catalog without writing. */
export async function resolveSubscriptions(tenant: Tenant, requests: readonly SubscriptionRequest[], db: CatalogDb = prisma()): Promise<CustomerSubscription[]> {
  if (requests.length === 0) return [];
  const codes = requests.flatMap((r) => (r.id === undefined && r.code !== undefined ? [r.code] : []));
  const ids = requests.flatMap((r) => (r.id !== undefined ? [r.id] : []));
  const products = await db.product.findMany({
    where: { platformId: tenant.platformId, liveMode: tenant.liveMode, OR: [{ code: { in: codes } }, { id: { in: ids } }] },
    include: { versions: { where: { status: "published" }, select: { version: true } } },
  });
  const errors: FieldError[] = [];
  const out = new Map<string, CustomerSubscription>();
  requests.forEach((r, i) => {
    const field = r.field ?? `products/${i}`;
    const product = products.find((p) => (r.id !== undefined ? p.id === r.id : p.code === r.code));
    if (!product) return errors.push({ field, message: `No product ${r.id ?? r.code ?? "(no code or id)"}` });
    if (out.has(product.id)) return errors.push({ field, message: `Product ${product.code} is listed twice` });
    const version = r.version ?? "default";
    if (version === "default" && product.defaultVersion === null) {
      return errors.push({ field, message: `Product ${product.code} has no published version yet` });
    }
    if (version !== "default" && !product.versions.some((v) => v.version === version)) {
      return errors.push({ field, message: `Product ${product.code} has no published version ${version}` });
    }
    out.set(product.id, { productId: product.id, code: product.code, version: version === "default" ? null : version });
  });
  if (errors.length > 0) throw new ValidationError("Invalid subscriptions", errors);
  return [...out.values()];
}
