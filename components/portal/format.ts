import Decimal from "decimal.js";
import type { PortalAsset } from "@/lib/portal/types";

/**
 * Display formatting for the portal (server and browser alike). Amounts arrive as exact
 * decimal strings and are rounded, half-even, to the asset's precision only here.
 * Dates are shown in UTC so the server's first paint and the browser's render agree.
 */

function grouped(integer: string): string {
  return integer.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

export function formatNumber(amount: string, precision: number): string {
  const rounded = new Decimal(amount).toDecimalPlaces(precision, Decimal.ROUND_HALF_EVEN);
  const [int, frac] = rounded.abs().toFixed(precision).split(".");
  const text = frac ? `${grouped(int!)}.${frac}` : grouped(int!);
  return rounded.isNegative() && !rounded.isZero() ? `-${text}` : text;
}

/** `$1,234.50` for fiat; `400 ⚡` or `400 CREDIT` for a custom asset. */
export function formatMoney(amount: string, asset: PortalAsset): string {
  const number = formatNumber(amount, asset.precision);
  const negative = number.startsWith("-");
  const body = negative ? number.slice(1) : number;
  const text = asset.is_fiat && asset.symbol ? `${asset.symbol}${body}` : `${body} ${asset.symbol ?? asset.code}`;
  return negative ? `-${text}` : text;
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
