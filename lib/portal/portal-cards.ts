import type { Tenant } from "@/lib/tenant";
import { env } from "@/lib/env";
import { NotFoundError } from "@/lib/errors";
import { findCustomerCard, listSavedCards, removeCard, setDefaultCard, startCardSetup, type SavedCard } from "@/lib/payment-methods";
import { disableAutoTopUpsOfCard } from "./portal-auto-top-up";
import type { PortalCard } from "./types";

/**
 * The portal's Cards section: the session customer's saved cards (lib/payment-methods),
 * always of the session's own customer. Another customer's card id is a 404 there.
 */

export function toPortalCard(card: SavedCard): PortalCard {
  return { id: card.id, brand: card.brand, last4: card.last4, exp_month: card.expMonth, exp_year: card.expYear, is_default: card.isDefault };
}

export async function listPortalCards(tenant: Tenant, customerId: string): Promise<PortalCard[]> {
  return (await listSavedCards(tenant, customerId)).map(toPortalCard);
}

/**
 * Opens Stripe's setup Checkout for a new card; the customer comes back to the Top up page
 * (`?card=saved` or `?card=cancelled`, which the page announces).
 */
export async function startPortalCardSetup(tenant: Tenant, customerId: string): Promise<{ redirect_url: string }> {
  const back = (outcome: string) => new URL(`/portal/top-up?card=${outcome}`, env().APP_URL).toString();
  const { url } = await startCardSetup(tenant, customerId, { successUrl: back("saved"), cancelUrl: back("cancelled") });
  return { redirect_url: url };
}

export async function makePortalCardDefault(tenant: Tenant, customerId: string, cardId: string): Promise<PortalCard> {
  return toPortalCard(await setDefaultCard(tenant, customerId, cardId));
}

/**
 * Removes a card. Auto top-ups paying with it are switched off first (disabled_reason
 * `card_removed`, shown on their form) rather than the removal refused: the customer asked
 * for the card to go, and a card that is gone must never be charged.
 */
export async function removePortalCard(tenant: Tenant, customerId: string, cardId: string): Promise<void> {
  if (!(await findCustomerCard(tenant, customerId, cardId))) throw new NotFoundError(`no card ${cardId}`);
  await disableAutoTopUpsOfCard(tenant, customerId, cardId);
  await removeCard(tenant, customerId, cardId);
}
