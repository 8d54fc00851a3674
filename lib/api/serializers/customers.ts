import type { z } from "zod";
import type { Customer } from "@/lib/customers/customers";
import type { customerSchema } from "../schemas/customers";

/**
 * The customer as the API answers it: its subscriptions as one entry of products (the
 * shape the creation takes), a version it follows by default as `"default"`.
 */
export function customerToJson(customer: Customer): z.input<typeof customerSchema> {
  return {
    id: customer.id,
    name: customer.name,
    email: customer.email,
    external_id: customer.externalId,
    metadata: customer.metadata,
    created_at: customer.createdAt.toISOString(),
    subscriptions: customer.subscriptions.length
      ? [{ products: customer.subscriptions.map((s) => ({ id: s.productId, code: s.code, version: s.version ?? ("default" as const) })) }]
      : [],
  };
}
