import Decimal from "decimal.js";
import type { PortalAsset } from "@/lib/portal/types";

/**
 * Display formatting for the portal (server and browser alike). Amounts arrive as exact
 * decimal strings (up to 12 decimals); they are shaped for reading only here.
 * Dates are shown in UTC so the server's first paint and the browser's render agree.
 */

function grouped(integer: string): string {
  return integer.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Rounds half-even to exactly `precision` decimals. */
export function formatNumber(amount: string, precision: number): string {
  const rounded = new Decimal(amount).toDecimalPlaces(precision, Decimal.ROUND_HALF_EVEN);
  const [int, frac] = rounded.abs().toFixed(precision).split(".");
  const text = frac ? `${grouped(int!)}.${frac}` : grouped(int!);
  return rounded.isNegative() && !rounded.isZero() ? `-${text}` : text;
}

/**
 * How many decimals past the asset's precision an amount may show. Usage is priced in
 * fractions of a cent ($0.0029 an image), so rounding every amount to the asset's
 * precision showed a billed fee as "$0.00" and a balance it lowered as unchanged; four
 * more places show such prices exactly, and anything finer is rounded with the exact
 * value kept for a tooltip.
 */
const EXTRA_DECIMALS = 4;

function withSymbol(body: string, negative: boolean, asset: PortalAsset): string {
  const text = asset.is_fiat && asset.symbol ? `${asset.symbol}${body}` : `${body} ${asset.symbol ?? asset.code}`;
  return negative ? `-${text}` : text;
}

export interface MoneyDisplay {
  /** What to show: `$24.9971`, `400 CREDIT`, or `< $0.000001` for a sliver. */
  text: string;
  /** The exact amount, when `text` had to round it (for a `title` tooltip). */
  exact: string | null;
}

/**
 * An amount with the precision it has: at least the asset's decimals (`$5.00`), more when
 * the amount has them (`$0.0029`, `$24.9971`), at most EXTRA_DECIMALS more, rounded
 * half-even past that. A non-zero amount is never shown as zero: one too small to show
 * reads `< $0.000001` (`> -$0.000001` below zero).
 */
export function displayMoney(amount: string, asset: PortalAsset): MoneyDisplay {
  const value = new Decimal(amount);
  const places = Math.min(Math.max(asset.precision, value.decimalPlaces()), asset.precision + EXTRA_DECIMALS);
  const rounded = value.toDecimalPlaces(places, Decimal.ROUND_HALF_EVEN);
  const exact = rounded.eq(value) ? null : exactMoney(amount, asset);
  if (rounded.isZero() && !value.isZero()) {
    const smallest = withSymbol(new Decimal(1).dividedBy(new Decimal(10).pow(places)).toFixed(places), value.isNegative(), asset);
    return { text: value.isNegative() ? `> ${smallest}` : `< ${smallest}`, exact };
  }
  const number = formatNumber(amount, places);
  const negative = number.startsWith("-");
  return { text: withSymbol(negative ? number.slice(1) : number, negative, asset), exact };
}

/** `$1,234.50` or `$0.0029` for fiat; `400 ⚡` or `400 CREDIT` for a custom asset (see displayMoney). */
export function formatMoney(amount: string, asset: PortalAsset): string {
  return displayMoney(amount, asset).text;
}

/** Every decimal the amount has, never fewer than the asset's: `$0.000000000001`. */
export function exactMoney(amount: string, asset: PortalAsset): string {
  const value = new Decimal(amount);
  const number = formatNumber(amount, Math.max(asset.precision, value.decimalPlaces()));
  const negative = number.startsWith("-");
  return withSymbol(negative ? number.slice(1) : number, negative, asset);
}

/**
 * An account as customers know it: `default:USD` is "US Dollar balance", a named account
 * `team:CREDIT` is "team · Credits". The id itself (`name:ASSET`) is the API's word.
 */
export function accountLabel(accountId: string, asset: PortalAsset): string {
  const name = accountId.slice(0, accountId.lastIndexOf(":"));
  return name === "default" || name === "" ? `${asset.name} balance` : `${name} · ${asset.name}`;
}

/** The API's event status, and reason when there is one, in a customer's words. */
const statusLabel: Record<string, string> = { billed: "Billed", unbilled: "Not billed", refused: "Refused", duplicate: "Duplicate" };
const reasonText: Record<string, string> = {
  no_matching_price: "No price in your plan applies to this usage, so it was not charged.",
  no_matching_dimensions: "No price in your plan matches this usage's details, so it was not charged.",
  missing_volume_field: "This usage did not say how much was used, so it was not charged.",
  invalid_volume: "This usage reported an amount that could not be read, so it was not charged.",
  insufficient_funds: "Your balance was too low to pay for this usage.",
  amount_too_large: "The charge for this usage was larger than a balance can hold.",
};

export function usageStatus(status: string, reason: string | null): { label: string; explanation: string | null } {
  return {
    label: statusLabel[status] ?? sentenceCase(status),
    explanation: reason ? (reasonText[reason] ?? `${sentenceCase(reason)}.`) : null,
  };
}

/** `image_generated` → "Image generated": an event type read aloud, for events no price named. */
export function sentenceCase(word: string): string {
  const spaced = word.replace(/[_\-.]+/g, " ").trim();
  return spaced ? spaced[0]!.toUpperCase() + spaced.slice(1) : word;
}

const dateTime = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", dateStyle: "medium", timeStyle: "short" });
const dateOnly = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", dateStyle: "medium" });

export function formatDateTime(iso: string): string {
  return `${dateTime.format(new Date(iso))} UTC`;
}

export function formatDate(iso: string): string {
  return dateOnly.format(new Date(iso));
}

export function isPositive(amount: string): boolean {
  return new Decimal(amount).gt(0);
}
