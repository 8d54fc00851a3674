import Stripe from "stripe";
import type { Tenant } from "@/lib/tenant";
import { ValidationError } from "@/lib/errors";
import { stripeClient } from "@/lib/stripe/client";
import { ensureStripeCustomer } from "./ensure-stripe-customer";

/**
 * Opens a Stripe Checkout Session in `setup` mode for the customer's Stripe customer and
 * returns its hosted page, where the customer enters a card; Stripe attaches it to the
 * customer and sends the browser to `successUrl` (or `cancelUrl`). Nothing is stored here:
 * the saved cards are read back from Stripe (listSavedCards), so an abandoned setup leaves
 * nothing behind. Stripe needs a `currency` for a setup session to pick the payment
 * methods it offers (cards take any); it charges nothing. The default is USD.
 */
export async function startCardSetup(
  tenant: Tenant,
  customerId: string,
  urls: { successUrl: string; cancelUrl: string; currency?: string },
): Promise<{ url: string }> {
  const stripeCustomerId = await ensureStripeCustomer(tenant, customerId);
  let session: Stripe.Checkout.Session;
  try {
    session = await stripeClient().checkout.sessions.create({
      mode: "setup",
      customer: stripeCustomerId,
      currency: (urls.currency ?? "usd").toLowerCase(),
      success_url: urls.successUrl,
      cancel_url: urls.cancelUrl,
      metadata: { customer_id: customerId, purpose: "save_card" },
      setup_intent_data: { metadata: { customer_id: customerId } },
    });
  } catch (error) {
    if (error instanceof Stripe.errors.StripeInvalidRequestError) {
      throw new ValidationError(`Stripe refused the card setup: ${error.message}`, [{ field: "card", message: error.message }]);
    }
    throw error;
  }
  if (!session.url) throw new Error(`Checkout Session ${session.id} has no url`);
  return { url: session.url };
}
