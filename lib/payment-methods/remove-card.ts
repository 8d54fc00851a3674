import type { Tenant } from "@/lib/tenant";
import { NotFoundError } from "@/lib/errors";
import { stripeClient } from "@/lib/stripe/client";
import { findCustomerCard } from "./find-customer-card";

/**
 * Removes a saved card: detaches it from the customer's Stripe customer, after which Stripe
 * cannot charge it again. A card that is not this customer's is a NotFoundError.
 *
 * This is the bare Stripe step. Whether a card that pays for auto top-up may go is the
 * caller's rule (the portal refuses: lib/portal/portal-cards.ts), since cards know nothing
 * of auto top-up.
 */
export async function removeCard(tenant: Tenant, customerId: string, paymentMethodId: string): Promise<void> {
  const card = await findCustomerCard(tenant, customerId, paymentMethodId);
  if (!card) throw new NotFoundError(`no card ${paymentMethodId}`);
  await stripeClient().paymentMethods.detach(card.id);
}
