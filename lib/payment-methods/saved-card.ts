import type Stripe from "stripe";

/** A card saved on the customer's Stripe customer, as the portal and auto top-up see it. */
export interface SavedCard {
  /** Stripe's PaymentMethod id (`pm_…`). */
  id: string;
  /** Stripe's card brand (`visa`, `mastercard`, …). */
  brand: string;
  last4: string;
  expMonth: number;
  expYear: number;
  /** The card auto top-up suggests and a new setting starts with (see listSavedCards). */
  isDefault: boolean;
}

export function toSavedCard(method: Stripe.PaymentMethod, isDefault: boolean): SavedCard | null {
  if (method.type !== "card" || !method.card) return null;
  return {
    id: method.id,
    brand: method.card.brand,
    last4: method.card.last4,
    expMonth: method.card.exp_month,
    expYear: method.card.exp_year,
    isDefault,
  };
}

/** Stripe's `default_payment_method` of a customer as an id (it may come expanded). */
export function defaultPaymentMethodId(customer: Stripe.Customer | Stripe.DeletedCustomer): string | null {
  if (customer.deleted) return null;
  const value = customer.invoice_settings?.default_payment_method ?? null;
  return typeof value === "string" ? value : (value?.id ?? null);
}

/** Stripe ids are short ASCII words; anything else is not a card of anyone's (and never reaches Stripe). */
export function isPaymentMethodId(value: string): boolean {
  return /^pm_[A-Za-z0-9_]{1,200}$/.test(value);
}
