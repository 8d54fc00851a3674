import type { Tenant } from "@/lib/tenant";
import { findAsset } from "@/lib/catalog";
import { pool, prisma } from "@/lib/db";
import { getCustomerOrThrow } from "@/lib/customers/customers";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { Dec, fiatCurrencies } from "@/lib/money";
import { getVendorOrThrow } from "@/lib/vendors/vendors";
import { ALL } from "./rollup-facts";

/**
 * Revenue, costs and margin for a period, read from the rollups (`usage_rollups`, one row
 * per customer, day and key: lib/stats/rollup-facts.ts), never from the events: a year of a
 * customer's stats is at most 366 days of rows, whatever the number of events.
 */

/** The longest period one request may ask for (a leap year). */
export const MAX_PERIOD_DAYS = 366;

export type StatsInterval = "day" | "week" | "month";

/** Whose stats: the platform's (all customers), one customer's, one product's or one vendor's. */
export type StatsScope = { kind: "platform" } | { kind: "customer"; id: string } | { kind: "product"; id: string } | { kind: "vendor"; id: string };

export interface StatsPeriodInput {
  /** `YYYY-MM-DD` (UTC days, both included); default: the current UTC month. */
  from?: string;
  to?: string;
  interval?: StatsInterval;
  /** A reporting currency (ISO code): revenue converted into it through the assets' rates. */
  currency?: string;
}

export interface Margin {
  currency: string;
  revenue: Dec;
  cost: Dec;
  margin: Dec;
  /** margin / revenue × 100, rounded half-even to 4 decimal places; null without revenue. */
  marginPercent: Dec | null;
}

/**
 * The figures in one reporting currency: every revenue asset with a rate for it (a fiat
 * asset is its own currency at 1; a custom asset at its `rates[]` entry for that source,
 * the price of one unit as it stands now), and the costs in that currency.
 */
export interface Reporting extends Margin {
  /** Revenue assets with no rate for the currency: left out of `revenue`. */
  unconverted: string[];
}

export interface StatsFigures {
  revenue: { asset: string; amount: Dec }[];
  costs: { currency: string; amount: Dec }[];
  margins: Margin[];
  events: { billed: number; unbilled: number; refused: number; total: number };
  reporting?: Reporting;
}

/** Asset code → its price in the reporting currency (null: no rate for it). */
type Conversion = { currency: string; rates: Map<string, Dec | null> };

export interface Stats extends StatsFigures {
  /** The customer's, product's or vendor's id; null for the platform. */
  id: string | null;
  from: string;
  to: string;
  interval: StatsInterval | null;
  /** Succeeded top-ups started in the period, per payment currency (customer and platform stats only). */
  topUps: { currency: string; amount: Dec; count: number }[] | null;
  series: ({ start: string } & StatsFigures)[] | null;
}

const DAY_MS = 86_400_000;

function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The period's days, checked: `from` ≤ `to`, at most MAX_PERIOD_DAYS days. */
export function resolvePeriod(input: StatsPeriodInput, now = new Date()): { from: string; to: string } {
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0));
  const from = input.from ?? utcDay(first);
  const to = input.to ?? utcDay(last);
  const days = (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
  if (days < 1) throw new ValidationError(`from (${from}) is after to (${to})`, [{ field: "from", message: "Must not be after to" }]);
  if (days > MAX_PERIOD_DAYS) {
    throw new ValidationError(`The period is ${days} days; at most ${MAX_PERIOD_DAYS}`, [
      { field: "to", message: `The period may be at most ${MAX_PERIOD_DAYS} days` },
    ]);
  }
  return { from, to };
}

async function assertScope(tenant: Tenant, scope: StatsScope): Promise<void> {
  if (scope.kind === "customer") await getCustomerOrThrow(tenant, scope.id);
  if (scope.kind === "vendor") await getVendorOrThrow(tenant, scope.id);
  if (scope.kind === "product") {
    const product = await prisma().product.findFirst({
      where: { id: scope.id, platformId: tenant.platformId, liveMode: tenant.liveMode },
      select: { id: true },
    });
    if (!product) throw new NotFoundError(`no product ${scope.id}`);
  }
}

/** Rollup rows summed by key (amounts as exact text); what `figures` reads. */
export interface RollupSum {
  bucket: string;
  kind: string;
  unit: string;
  status: string;
  amount: string;
  count: string;
}

const BUCKET_SQL: Record<StatsInterval | "none", string> = {
  none: "''",
  day: "to_char(day, 'YYYY-MM-DD')",
  week: "to_char(date_trunc('week', day), 'YYYY-MM-DD')",
  month: "to_char(date_trunc('month', day), 'YYYY-MM-DD')",
};

/** The stats of `scope` for the period; 404 for another platform's customer, product or vendor. */
export async function getStats(tenant: Tenant, scope: StatsScope, input: StatsPeriodInput): Promise<Stats> {
  const { from, to } = resolvePeriod(input);
  await assertScope(tenant, scope);
  const productId = scope.kind === "product" ? scope.id : ALL;
  const vendorId = scope.kind === "vendor" ? scope.id : ALL;
  const customerId = scope.kind === "customer" ? scope.id : null;
  const interval = input.interval ?? null;
  // A customer's rows come by the primary key (customer_id, day, …); the others by the
  // (platform_id, live_mode, product_id, vendor_id, day) index. Amounts travel as text.
  const { rows } = await pool().query<RollupSum>({
    text: `SELECT ${BUCKET_SQL[interval ?? "none"]} AS bucket, kind, unit, status, sum(amount)::text AS amount, sum(count)::text AS count
             FROM usage_rollups
            WHERE platform_id = $1 AND live_mode = $2 AND product_id = $3 AND vendor_id = $4
              AND ($5::text IS NULL OR customer_id = $5) AND day BETWEEN $6::date AND $7::date
            GROUP BY 1, kind, unit, status
            ORDER BY 1, kind, unit, status`,
    values: [tenant.platformId, tenant.liveMode, productId, vendorId, customerId, from, to],
  });
  const topUps = scope.kind === "customer" || scope.kind === "platform" ? await paidTopUps(tenant, customerId, from, to) : null;
  const conversion = input.currency ? await conversionTo(tenant, input.currency, rows) : undefined;
  let series: Stats["series"] = null;
  if (interval) {
    // Rows come ordered by bucket; empty buckets are left out.
    const buckets = new Map<string, RollupSum[]>();
    for (const r of rows) {
      const bucket = buckets.get(r.bucket);
      if (bucket) bucket.push(r);
      else buckets.set(r.bucket, [r]);
    }
    series = [...buckets].map(([start, bucketRows]) => ({ start, ...figures(bucketRows, conversion) }));
  }
  return { id: scope.kind === "platform" ? null : scope.id, from, to, interval, topUps, series, ...figures(rows, conversion) };
}

/** The rate of each revenue asset of `rows` into `currency` (one lookup per custom asset; few per platform). */
async function conversionTo(tenant: Tenant, currency: string, rows: readonly RollupSum[]): Promise<Conversion> {
  const assets = [...new Set(rows.filter((r) => r.kind === "revenue").map((r) => r.unit))];
  const rates = new Map<string, Dec | null>();
  for (const code of assets) {
    const asset = await findAsset(tenant, code);
    rates.set(code, asset?.rates.find((r) => r.source === currency)?.rate ?? null);
  }
  return { currency, rates };
}

function margin(currency: string, revenue: Dec, cost: Dec): Margin {
  const m = revenue.minus(cost);
  return { currency, revenue, cost, margin: m, marginPercent: revenue.isZero() ? null : m.div(revenue).times(100).toDecimalPlaces(4) };
}

/** Sums rollup rows (of any buckets) into the answer's figures. */
export function figures(rows: readonly RollupSum[], conversion?: Conversion): StatsFigures {
  const revenue = new Map<string, Dec>();
  const costs = new Map<string, Dec>();
  const events = { billed: 0, unbilled: 0, refused: 0, total: 0 };
  for (const r of rows) {
    if (r.kind === "revenue") revenue.set(r.unit, (revenue.get(r.unit) ?? new Dec(0)).plus(r.amount));
    else if (r.kind === "cost") costs.set(r.unit, (costs.get(r.unit) ?? new Dec(0)).plus(r.amount));
    else if (r.kind === "events") {
      const n = Number(r.count);
      if (r.status === "billed" || r.status === "unbilled" || r.status === "refused") events[r.status] += n;
      events.total += n;
    }
  }
  // Margins only where revenue and cost are in the same currency: revenue in a custom asset
  // (credits, tokens) has no margin line; a currency with costs and no revenue has a negative one.
  const currencies = [...new Set([...revenue.keys(), ...costs.keys()])].filter((c) => fiatCurrencies.has(c)).sort();
  const margins = currencies.map((currency) => margin(currency, revenue.get(currency) ?? new Dec(0), costs.get(currency) ?? new Dec(0)));
  const sorted = <T>(m: Map<string, T>) => [...m].sort(([a], [b]) => a.localeCompare(b));
  return {
    revenue: sorted(revenue).map(([asset, amount]) => ({ asset, amount })),
    costs: sorted(costs).map(([currency, amount]) => ({ currency, amount })),
    margins,
    events,
    ...(conversion ? { reporting: reporting(conversion, revenue, costs) } : {}),
  };
}

function reporting({ currency, rates }: Conversion, revenue: Map<string, Dec>, costs: Map<string, Dec>): Reporting {
  let converted = new Dec(0);
  const unconverted: string[] = [];
  for (const [asset, amount] of revenue) {
    const rate = rates.get(asset);
    if (rate) converted = converted.plus(amount.times(rate));
    else unconverted.push(asset);
  }
  return { ...margin(currency, converted, costs.get(currency) ?? new Dec(0)), unconverted: unconverted.sort() };
}

/** Succeeded top-ups created in the period (UTC days `from`..`to`), per payment currency. */
async function paidTopUps(tenant: Tenant, customerId: string | null, from: string, to: string) {
  const { rows } = await pool().query<{ currency: string; amount: string; count: string }>({
    text: `SELECT currency, sum(amount)::text AS amount, count(*)::text AS count
             FROM top_ups
            WHERE platform_id = $1 AND live_mode = $2 AND ($3::text IS NULL OR customer_id = $3) AND status = 'succeeded'
              AND created_at >= ($4::date)::timestamp AT TIME ZONE 'UTC' AND created_at < ($5::date + 1)::timestamp AT TIME ZONE 'UTC'
            GROUP BY currency ORDER BY currency`,
    values: [tenant.platformId, tenant.liveMode, customerId, from, to],
  });
  return rows.map((r) => ({ currency: r.currency, amount: new Dec(r.amount), count: Number(r.count) }));
}
