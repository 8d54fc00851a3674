import { Dec } from "@/lib/money";

/**
 * What one stored usage event adds to the stats rollups (`usage_rollups`), the one rule
 * shared by the incremental write (the usage events' flush) and the recomputation
 * (verify-rollups.ts, `npm run stats:verify`).
 *
 * Rows are per customer and UTC day of `occurred_at`. `product_id`/`vendor_id` are `*` for
 * "all"; the event is counted once under (`*`, `*`), once under each product its fees name,
 * once under each vendor its costs name, and under each (product, vendor) pair, so that a
 * product's or vendor's stats are one lookup too:
 * - `events`: one per event, per status (`count`);
 * - `revenue`: the fees of a billed event, per asset (`unit`); under a product only that
 *   product's fees; under a vendor the event's fees (the revenue the vendor's cost bought);
 * - `cost`: the event's costs, whatever its status, per currency; under a vendor only that
 *   vendor's costs; under a product the event's costs (what serving that product cost).
 */

export const ALL = "*";
const ONLY_ALL = [ALL];

export type RollupKind = "events" | "revenue" | "cost";

/** The stored fields of a usage event that rollups read (amounts as exact decimal text). */
export interface RollupSource {
  occurredAt: Date;
  status: string;
  fees: readonly { product_id: string; asset: string; amount: string }[];
  costs: readonly { vendor_id: string; currency: string; amount: string }[] | null;
}

export interface RollupKey {
  day: string;
  productId: string;
  vendorId: string;
  kind: RollupKind;
  unit: string;
  status: string;
}

export interface RollupValue {
  /** The amount in units of 10^-12 (see toUnits). */
  units: bigint;
  count: number;
}

/** Rollup rows summed by key (`rollupKeyText`). */
export type Rollups = Map<string, RollupKey & RollupValue>;

export function rollupKeyText(k: RollupKey): string {
  return `${k.day}|${k.productId}|${k.vendorId}|${k.kind}|${k.unit}|${k.status}`;
}

/**
 * Amounts are summed as integers of 10^-12 (the columns' scale, STORED_SCALE): BigInt
 * addition of the stored decimal text is exact and costs a fraction of decimal.js objects,
 * which matters on the usage events' hot path (a few additions per event).
 */
const SCALE = 12;
const EXPONENT = /[eE]/;

export function toUnits(text: string): bigint {
  if (EXPONENT.test(text)) return BigInt(new Dec(text).times(new Dec(10).pow(SCALE)).toFixed(0));
  const negative = text.startsWith("-");
  const body = negative ? text.slice(1) : text;
  const dot = body.indexOf(".");
  const fraction = dot < 0 ? "" : body.slice(dot + 1);
  if (fraction.length > SCALE) throw new Error(`more than ${SCALE} decimal places: ${text}`);
  const units = BigInt((dot < 0 ? body : body.slice(0, dot)) + fraction.padEnd(SCALE, "0"));
  return negative ? -units : units;
}

/** Units back to plain decimal text without trailing zeros ("0.0123", "12"). */
export function unitsToText(units: bigint): string {
  const negative = units < BigInt(0);
  const digits = (negative ? -units : units).toString().padStart(SCALE + 1, "0");
  const fraction = digits.slice(-SCALE).replace(/0+$/, "");
  return `${negative ? "-" : ""}${digits.slice(0, -SCALE)}${fraction ? `.${fraction}` : ""}`;
}

function add(into: Rollups, day: string, productId: string, vendorId: string, kind: RollupKind, unit: string, status: string, units: bigint) {
  const text = `${day}|${productId}|${vendorId}|${kind}|${unit}|${status}`;
  const row = into.get(text);
  if (row) {
    row.units += units;
    row.count += 1;
  } else {
    into.set(text, { day, productId, vendorId, kind, unit, status, units, count: 1 });
  }
}

function keys<T>(items: readonly T[], key: (item: T) => string): string[] {
  if (items.length === 0) return ONLY_ALL;
  if (items.length === 1) return [ALL, key(items[0]!)];
  return [ALL, ...new Set(items.map(key))];
}

const ZERO = BigInt(0);

/** Adds one stored event's rows to `into`. */
export function addEventRollups(into: Rollups, event: RollupSource): void {
  const day = event.occurredAt.toISOString().slice(0, 10);
  const costs = event.costs ?? [];
  const products = keys(event.fees, (f) => f.product_id);
  const vendors = keys(costs, (c) => c.vendor_id);
  const fees = event.status === "billed" ? event.fees : [];
  const feeUnits = fees.map((f) => toUnits(f.amount));
  const costUnits = costs.map((c) => toUnits(c.amount));
  for (const productId of products) {
    for (const vendorId of vendors) {
      add(into, day, productId, vendorId, "events", "", event.status, ZERO);
      fees.forEach((fee, i) => {
        if (productId === ALL || fee.product_id === productId) add(into, day, productId, vendorId, "revenue", fee.asset, "", feeUnits[i]!);
      });
      costs.forEach((cost, i) => {
        if (vendorId === ALL || cost.vendor_id === vendorId) add(into, day, productId, vendorId, "cost", cost.currency, "", costUnits[i]!);
      });
    }
  }
}
