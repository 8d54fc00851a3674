import type { Customer } from "@/lib/generated/prisma/client";

export interface CustomerSubscriptionJson {
  products: { id: string; code: string; version: number | "default" }[];
}

export interface CustomerJson {
  id: string;
  name: string | null;
  email: string | null;
  external_id: string | null;
  metadata: Record<string, unknown>;
  created_at: string;
  subscriptions: CustomerSubscriptionJson[];
}

/** The customer as the API answers it (snake_case, PRODUCT.md "POST /customers"). */
export function customerToJson(
  customer: Customer,
  subscriptions: { productId: string; code: string; version: number | null }[],
): CustomerJson {
  return {
    id: customer.id,
    name: customer.name,
    email: customer.email,
    external_id: customer.externalId,
    metadata: (customer.metadata ?? {}) as Record<string, unknown>,
    created_at: customer.createdAt.toISOString(),
    subscriptions: subscriptions.length
      ? [{ products: subscriptions.map((s) => ({ id: s.productId, code: s.code, version: s.version ?? ("default" as const) })) }]
      : [],
  };
}
