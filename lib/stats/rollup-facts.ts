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

export type RollupKind = "events" | "revenue" | "cost";

/** The stored fields of a usage event that rollups read. */
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
  amount: Dec;
  count: number;
}

/** Rollup rows summed by key (`rollupKeyText`). */
export type Rollups = Map<string, RollupKey & RollupValue>;

export function rollupKeyText(k: RollupKey): string {
  return `${k.day}|${k.productId}|${k.vendorId}|${k.kind}|${k.unit}|${k.status}`;
}

function add(into: Rollups, key: RollupKey, amount: Dec, count: number) {
  const text = rollupKeyText(key);
  const row = into.get(text);
  if (row) {
    row.amount = row.amount.plus(amount);
    row.count += count;
  } else {
    into.set(text, { ...key, amount, count });
  }
}

/** Adds one stored event's rows to `into`. */
export function addEventRollups(into: Rollups, event: RollupSource): void {
  const day = event.occurredAt.toISOString().slice(0, 10);
  const costs = event.costs ?? [];
  const products = [ALL, ...new Set(event.fees.map((f) => f.product_id))];
  const vendors = [ALL, ...new Set(costs.map((c) => c.vendor_id))];
  const zero = new Dec(0);
  for (const productId of products) {
    for (const vendorId of vendors) {
      add(into, { day, productId, vendorId, kind: "events", unit: "", status: event.status }, zero, 1);
      if (event.status === "billed") {
        for (const fee of event.fees) {
          if (productId !== ALL && fee.product_id !== productId) continue;
          add(into, { day, productId, vendorId, kind: "revenue", unit: fee.asset, status: "" }, new Dec(fee.amount), 1);
        }
      }
      for (const cost of costs) {
        if (vendorId !== ALL && cost.vendor_id !== vendorId) continue;
        add(into, { day, productId, vendorId, kind: "cost", unit: cost.currency, status: "" }, new Dec(cost.amount), 1);
      }
    }
  }
}

/**
 * The batch's rollups as one more CTE of the ledger's flush statement (`$1` is the customer
 * id): summed in memory first, so each key is one row of the upsert (ON CONFLICT may not
 * touch a row twice in one statement). A repeated event id fails the statement on the
 * usage_events key and the batch is retried, so a duplicate never adds to a rollup.
 */
export function rollupUpsert(platformId: string, liveMode: boolean, rollups: Rollups) {
  const rows = [...rollups.values()];
  return {
    name: "usage_rollups_upsert",
    sql: (n: number) => {
      const p = (i: number) => `$${n + i}`;
      return `INSERT INTO usage_rollups AS r (customer_id, platform_id, live_mode, day, product_id, vendor_id, kind, unit, status, amount, count)
           SELECT $1, ${p(0)}::text, ${p(1)}::boolean, day, product_id, vendor_id, kind, unit, status, amount, count
             FROM unnest(${p(2)}::date[], ${p(3)}::text[], ${p(4)}::text[], ${p(5)}::text[], ${p(6)}::text[], ${p(7)}::text[],
                         ${p(8)}::numeric[], ${p(9)}::bigint[])
                  AS v(day, product_id, vendor_id, kind, unit, status, amount, count)
           ON CONFLICT (customer_id, day, product_id, vendor_id, kind, unit, status)
           DO UPDATE SET amount = r.amount + EXCLUDED.amount, count = r.count + EXCLUDED.count`;
    },
    values: [
      platformId,
      liveMode,
      rows.map((r) => r.day),
      rows.map((r) => r.productId),
      rows.map((r) => r.vendorId),
      rows.map((r) => r.kind),
      rows.map((r) => r.unit),
      rows.map((r) => r.status),
      rows.map((r) => r.amount.toFixed()),
      rows.map((r) => r.count),
    ],
  };
}
