import type Stripe from "stripe";
import { isStripeEventRecorded } from "@/lib/top-ups";
import { handleChargeRefunded } from "./charge-refunded";
import { handleCheckoutSessionEvent, type CheckoutSessionEventType } from "./checkout-session-events";
import type { WebhookResult } from "./types";

export type { WebhookResult } from "./types";

const checkoutSessionEvents = new Set<string>([
  "checkout.session.completed",
  "checkout.session.async_payment_succeeded",
  "checkout.session.async_payment_failed",
  "checkout.session.expired",
]);

/**
 * Handles one verified Stripe event. Guarantees: an event id has its effect at most once
 * (recorded in `stripe_events` in the same transaction as the effect; the look-up here is
 * only a shortcut for redeliveries); event types we do not use are ignored (Stripe gets a
 * 200 and stops sending them); anything that throws is a processing failure the route
 * answers with 500, so Stripe delivers the event again later.
 */
export async function handleStripeEvent(event: Stripe.Event): Promise<WebhookResult> {
  const handled = checkoutSessionEvents.has(event.type) || event.type === "charge.refunded";
  if (!handled) return { status: "ignored", reason: `event type ${event.type} is not used` };
  if (await isStripeEventRecorded(event.id)) return { status: "duplicate" };
  if (event.type === "charge.refunded") return handleChargeRefunded(event);
  return handleCheckoutSessionEvent(event, event.type as CheckoutSessionEventType);
}
