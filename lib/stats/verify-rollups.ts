import type { PoolClient } from "pg";
import { inTransaction, pool } from "@/lib/db";
import { addEventRollups, rollupKeyText, toUnits, unitsToText, type RollupKind, type Rollups, type RollupSource } from "./rollup-facts";

/**
 * The rollups recomputed from the stored usage events, compared with the stored ones
 * (`npm run stats:verify`, and the property test): one customer at a time, so memory stays
 * bounded by one customer's rows, and events are read in pages by (event_id).
 */

export interface RollupDifference {
  customerId: string;
  key: string;
  stored: { amount: string; count: number } | null;
  recomputed: { amount: string; count: number } | null;
}

const PAGE = 5000;

/** The rollups one customer's stored events add up to. */
export async function recomputeRollups(client: PoolClient, customerId: string): Promise<Rollups> {
  const rollups: Rollups = new Map();
  let after = "";
  for (;;) {
    const { rows } = await client.query<{ event_id: string; occurred_at: Date; status: string; fees: RollupSource["fees"]; costs: RollupSource["costs"] }>({
      text: `SELECT event_id, occurred_at, status, fees, costs FROM usage_events
              WHERE customer_id = $1 AND event_id > $2 ORDER BY event_id LIMIT ${PAGE}`,
      values: [customerId, after],
    });
    for (const r of rows) addEventRollups(rollups, { occurredAt: r.occurred_at, status: r.status, fees: r.fees, costs: r.costs });
    if (rows.length < PAGE) return rollups;
    after = rows[rows.length - 1]!.event_id;
  }
}

/** One customer's stored rollups. */
export async function storedRollups(client: PoolClient, customerId: string): Promise<Rollups> {
  const { rows } = await client.query<{ day: string; product_id: string; vendor_id: string; kind: RollupKind; unit: string; status: string; amount: string; count: string }>({
    text: `SELECT to_char(day, 'YYYY-MM-DD') AS day, product_id, vendor_id, kind, unit, status, amount::text AS amount, count::text AS count
             FROM usage_rollups WHERE customer_id = $1`,
    values: [customerId],
  });
  return new Map(
    rows.map((r) => {
      const key = { day: r.day, productId: r.product_id, vendorId: r.vendor_id, kind: r.kind, unit: r.unit, status: r.status };
      return [rollupKeyText(key), { ...key, units: toUnits(r.amount), count: Number(r.count) }];
    }),
  );
}

/**
 * Where a customer's stored rollups and the recomputation differ (empty when they agree).
 * Both are read in one REPEATABLE READ snapshot: events and their rollups commit together,
 * so a database taking usage meanwhile still agrees with itself.
 */
export async function verifyCustomerRollups(customerId: string): Promise<RollupDifference[]> {
  const [stored, recomputed] = await inTransaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", async (client) => [
    await storedRollups(client, customerId),
    await recomputeRollups(client, customerId),
  ]);
  const differences: RollupDifference[] = [];
  const show = (v: { units: bigint; count: number } | undefined) => (v ? { amount: unitsToText(v.units), count: v.count } : null);
  for (const key of new Set([...stored.keys(), ...recomputed.keys()])) {
    const s = stored.get(key);
    const r = recomputed.get(key);
    if (s && r && s.units === r.units && s.count === r.count) continue;
    differences.push({ customerId, key, stored: show(s), recomputed: show(r) });
  }
  return differences;
}

/**
 * Every customer, checked one by one; `onCustomer` hears each
 * customer's differences (for a progress line). Returns all the differences found.
 */
export async function verifyAllRollups(onCustomer?: (customerId: string, differences: RollupDifference[]) => void): Promise<RollupDifference[]> {
  // Every row of both tables carries a customer of the customers table.
  const { rows } = await pool().query<{ customer_id: string }>("SELECT id AS customer_id FROM customers ORDER BY id");
  const all: RollupDifference[] = [];
  for (const { customer_id: customerId } of rows) {
    const differences = await verifyCustomerRollups(customerId);
    onCustomer?.(customerId, differences);
    all.push(...differences);
  }
  return all;
}
