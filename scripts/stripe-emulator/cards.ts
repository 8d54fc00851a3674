import { createHash } from "node:crypto";

/**
 * Stripe's test cards (https://docs.stripe.com/testing) and what each does when charged.
 * A saved card remembers its number's outcome (`TestCard.charge`), so a PaymentMethod made
 * from `4000000000000002` declines every payment, as in Stripe's test mode.
 *
 * Where the emulator differs from Stripe, on purpose:
 * - Saving a card (setup-mode Checkout, `attach`) succeeds for every test card here. Stripe
 *   already declines `…0002` and `…9995` at setup; the emulator lets them be saved so a
 *   declining saved card can be tried end to end (Stripe's own card for that is `…0341`,
 *   which behaves the same in both).
 * - `4000002500003155` answers `authentication_required` to off-session payments, as issue 14
 *   specifies. Stripe lets that card pay off-session once it was set up with authentication;
 *   its card that always needs authentication is `4000002760003184` (same behaviour here), so
 *   a test that must behave identically against real Stripe uses `…3184`.
 */

export type ChargeOutcome =
  | { kind: "succeeds" }
  | { kind: "declined"; declineCode: "generic_decline" | "insufficient_funds" | "expired_card" | "lost_card" | "incorrect_cvc"; message: string }
  | { kind: "authentication_required" };

export interface TestCard {
  number: string;
  brand: "visa" | "mastercard" | "amex";
  funding: "credit" | "debit";
  charge: ChargeOutcome;
  /** Stripe's ready-made PaymentMethod (`pm_card_…`) and token (`tok_…`) for this card. */
  paymentMethod?: string;
  token?: string;
}

const succeeds: ChargeOutcome = { kind: "succeeds" };
const declined = (declineCode: Extract<ChargeOutcome, { kind: "declined" }>["declineCode"], message: string): ChargeOutcome => ({ kind: "declined", declineCode, message });

export const testCards: readonly TestCard[] = [
  { number: "4242424242424242", brand: "visa", funding: "credit", charge: succeeds, paymentMethod: "pm_card_visa", token: "tok_visa" },
  { number: "4000056655665556", brand: "visa", funding: "debit", charge: succeeds, paymentMethod: "pm_card_visa_debit", token: "tok_visa_debit" },
  { number: "5555555555554444", brand: "mastercard", funding: "credit", charge: succeeds, paymentMethod: "pm_card_mastercard", token: "tok_mastercard" },
  { number: "378282246310005", brand: "amex", funding: "credit", charge: succeeds, paymentMethod: "pm_card_amex", token: "tok_amex" },
  {
    number: "4000000000000002", brand: "visa", funding: "credit", charge: declined("generic_decline", "Your card was declined."),
    paymentMethod: "pm_card_visa_chargeDeclined", token: "tok_visa_chargeDeclined",
  },
  {
    number: "4000000000009995", brand: "visa", funding: "credit", charge: declined("insufficient_funds", "Your card has insufficient funds."),
    paymentMethod: "pm_card_visa_chargeDeclinedInsufficientFunds", token: "tok_visa_chargeDeclinedInsufficientFunds",
  },
  {
    number: "4000000000009987", brand: "visa", funding: "credit", charge: declined("lost_card", "Your card was declined."),
    paymentMethod: "pm_card_visa_chargeDeclinedLostCard", token: "tok_visa_chargeDeclinedLostCard",
  },
  {
    number: "4000000000000069", brand: "visa", funding: "credit", charge: declined("expired_card", "Your card has expired."),
    paymentMethod: "pm_card_chargeDeclinedExpiredCard", token: "tok_chargeDeclinedExpiredCard",
  },
  {
    number: "4000000000000341", brand: "visa", funding: "credit", charge: declined("generic_decline", "Your card was declined."),
    paymentMethod: "pm_card_chargeCustomerFail", token: "tok_chargeCustomerFail",
  },
  {
    number: "4000002500003155", brand: "visa", funding: "credit", charge: { kind: "authentication_required" },
    paymentMethod: "pm_card_authenticationRequiredOnSetup", token: "tok_authenticationRequiredOnSetup",
  },
  {
    number: "4000002760003184", brand: "visa", funding: "credit", charge: { kind: "authentication_required" },
    paymentMethod: "pm_card_authenticationRequired", token: "tok_authenticationRequired",
  },
];

/** The test card with this number (spaces and dashes ignored), or undefined. */
export function testCardByNumber(number: string): TestCard | undefined {
  const digits = number.replace(/[\s-]/g, "");
  return testCards.find((card) => card.number === digits);
}

export function testCardByPaymentMethodId(id: string): TestCard | undefined {
  return testCards.find((card) => card.paymentMethod === id);
}

export function testCardByToken(token: string): TestCard | undefined {
  return testCards.find((card) => card.token === token);
}

/** Luhn check: tells a mistyped number ("invalid") from a real one ("not a test card"). */
export function passesLuhn(number: string): boolean {
  if (!/^\d{12,19}$/.test(number)) return false;
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let digit = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Stripe gives one card number the same fingerprint every time it is saved (per account). */
export function cardFingerprint(number: string): string {
  const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  const digest = createHash("sha256").update(`drawdown-stripe-emulator:${number}`).digest();
  let out = "";
  for (let i = 0; i < 16; i++) out += base62[(digest[i] ?? 0) % 62];
  return out;
}

/** The test card a saved PaymentMethod was made from (its fingerprint identifies the number). */
export function testCardByFingerprint(fingerprint: string): TestCard | undefined {
  return testCards.find((card) => cardFingerprint(card.number) === fingerprint);
}
