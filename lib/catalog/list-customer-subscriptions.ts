import { prisma } from "@/lib/db";
import type { CatalogDb } from "./catalog-db";
import type { CustomerSubscription } from "./subscribe-customer";

/** A customer's subscriptions, oldest first. */
export async function listCustomerSubscriptions(customerId: string, db: CatalogDb = prisma()): Promise<CustomerSubscription[]> {
  return (await listSubscriptionsOfCustomers([customerId], db)).get(customerId) ?? [];
}

/** The subscriptions of several customers in two queries (a page of customers), by customer id. */
export async function listSubscriptionsOfCustomers(customerIds: string[], db: CatalogDb = prisma()): Promise<Map<string, CustomerSubscription[]>> {
  const out = new Map<string, CustomerSubscription[]>();
  if (customerIds.length === 0) return out;
  const rows = await db.subscription.findMany({ where: { customerId: { in: customerIds } }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  if (rows.length === 0) return out;
  const products = await db.product.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.productId))] } }, select: { id: true, code: true } });
  const codes = new Map(products.map((p) => [p.id, p.code]));
  for (const r of rows) {
    const list = out.get(r.customerId) ?? [];
    list.push({ productId: r.productId, code: codes.get(r.productId) ?? "", version: r.version });
    out.set(r.customerId, list);
  }
  return out;
}
