import type { Tenant } from "@/lib/tenant";
import { stripeClient } from "@/lib/stripe/client";
import { storedStripeCustomerId } from "./ensure-stripe-customer";
import { defaultPaymentMethodId, toSavedCard, type SavedCard } from "./saved-card";

/**
 * The customer's saved cards, newest first (Stripe's order), read from Stripe: cards saved
 * in the portal's setup Checkout and cards saved while paying a top-up alike. No Stripe
 * customer yet means no cards, without a Stripe call.
 *
 * `isDefault`: the customer's `invoice_settings.default_payment_method` when it is one of
 * these cards, else the newest card, so a customer with cards always has exactly one
 * default (the one a new auto top-up setting starts with).
 */
export async function listSavedCards(tenant: Tenant, customerId: string): Promise<SavedCard[]> {
  const stripeCustomerId = await storedStripeCustomerId(tenant, customerId);
  if (!stripeCustomerId) return [];
  const stripe = stripeClient();
  const [customer, methods] = await Promise.all([
    stripe.customers.retrieve(stripeCustomerId),
    stripe.paymentMethods.list({ customer: stripeCustomerId, type: "card", limit: 100 }),
  ]);
  const cards = methods.data.map((method) => toSavedCard(method, false)).filter((card) => card !== null);
  const explicit = defaultPaymentMethodId(customer);
  const defaultId = cards.some((card) => card.id === explicit) ? explicit : cards[0]?.id;
  return cards.map((card) => ({ ...card, isDefault: card.id === defaultId }));
}

/** The customer's default card (listSavedCards' rule), or null without any. */
export async function defaultCard(tenant: Tenant, customerId: string): Promise<SavedCard | null> {
  return (await listSavedCards(tenant, customerId)).find((card) => card.isDefault) ?? null;
}
