import type { Tenant } from "@/lib/tenant";
import { NotFoundError } from "@/lib/errors";
import { stripeClient } from "@/lib/stripe/client";
import { ensureStripeCustomer } from "./ensure-stripe-customer";
import { findCustomerCard } from "./find-customer-card";
import type { SavedCard } from "./saved-card";

/**
 * Makes one of the customer's cards its default (Stripe's
 * `invoice_settings.default_payment_method`). A card that is not this customer's is a
 * NotFoundError and changes nothing.
 */
export async function setDefaultCard(tenant: Tenant, customerId: string, paymentMethodId: string): Promise<SavedCard> {
  const card = await findCustomerCard(tenant, customerId, paymentMethodId);
  if (!card) throw new NotFoundError(`no card ${paymentMethodId}`);
  const stripeCustomerId = await ensureStripeCustomer(tenant, customerId);
  await stripeClient().customers.update(stripeCustomerId, { invoice_settings: { default_payment_method: card.id } });
  return { ...card, isDefault: true };
}
