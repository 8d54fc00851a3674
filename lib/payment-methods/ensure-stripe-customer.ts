import type { Tenant } from "@/lib/tenant";
import { getCustomerOrThrow } from "@/lib/customers/customers";
import { prisma } from "@/lib/db";
import { stripeClient } from "@/lib/stripe/client";

/**
 * The Stripe customer that holds this customer's saved cards, created on first use and
 * stored in `customers.stripe_customer_id`. Another platform's or mode's customer is a
 * NotFoundError.
 *
 * Exactly one per customer, also when two requests race: the Stripe call carries the
 * idempotency key `customer:{id}` (both get the same Stripe customer back), and the row is
 * written only while the column is still empty, so the first stored id wins and is the one
 * returned to everyone.
 */
export async function ensureStripeCustomer(tenant: Tenant, customerId: string): Promise<string> {
  const customer = await getCustomerOrThrow(tenant, customerId);
  if (customer.stripeCustomerId) return customer.stripeCustomerId;

  const created = await stripeClient().customers.create(
    {
      ...(customer.name ? { name: customer.name } : {}),
      ...(customer.email ? { email: customer.email } : {}),
      metadata: { customer_id: customer.id, platform_id: customer.platformId },
    },
    { idempotencyKey: `customer:${customer.id}` },
  );
  await prisma().customer.updateMany({
    where: { id: customer.id, stripeCustomerId: null },
    data: { stripeCustomerId: created.id },
  });
  const stored = await prisma().customer.findUniqueOrThrow({ where: { id: customer.id }, select: { stripeCustomerId: true } });
  return stored.stripeCustomerId ?? created.id;
}

/** The stored Stripe customer id, or null when the customer never saved a card (no Stripe call). */
export async function storedStripeCustomerId(tenant: Tenant, customerId: string): Promise<string | null> {
  const customer = await getCustomerOrThrow(tenant, customerId);
  return customer.stripeCustomerId;
}
