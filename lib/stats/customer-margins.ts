import type { Tenant } from "@/lib/tenant";
import { pool } from "@/lib/db";
import { ALL } from "./rollup-facts";
import { figures, resolvePeriod, type StatsFigures, type StatsPeriodInput, type RollupSum } from "./get-stats";

/** One customer's revenue, costs and margins for a period: GET /customers/{id}/stats's figures, without the series. */
export type CustomerMargins = Pick<StatsFigures, "revenue" | "costs" | "margins">;

/**
 * Revenue, costs and margin of many customers at once (a list page's column), for the
 * period (default: the current UTC month), from the rollups like getStats: one query over
 * the (`*`, `*`) rows of those customers, summed per customer with the same rule
 * (`figures`), so each matches that customer's GET /customers/{id}/stats. Only the
 * tenant's customers count: another platform's id among `customerIds` gets nothing.
 */
export async function getCustomerMargins(tenant: Tenant, customerIds: readonly string[], input: StatsPeriodInput = {}): Promise<Map<string, CustomerMargins>> {
  const out = new Map<string, CustomerMargins>();
  if (customerIds.length === 0) return out;
  const { from, to } = resolvePeriod(input);
  const { rows } = await pool().query<RollupSum & { customer_id: string }>({
    text: `SELECT customer_id, '' AS bucket, kind, unit, status, sum(amount)::text AS amount, sum(count)::text AS count
             FROM usage_rollups
            WHERE customer_id = ANY($1::text[]) AND platform_id = $2 AND live_mode = $3 AND product_id = $4 AND vendor_id = $4
              AND kind IN ('revenue', 'cost') AND day BETWEEN $5::date AND $6::date
            GROUP BY customer_id, kind, unit, status`,
    values: [customerIds, tenant.platformId, tenant.liveMode, ALL, from, to],
  });
  const byCustomer = new Map<string, RollupSum[]>();
  for (const r of rows) {
    const list = byCustomer.get(r.customer_id);
    if (list) list.push(r);
    else byCustomer.set(r.customer_id, [r]);
  }
  for (const id of customerIds) {
    const { revenue, costs, margins } = figures(byCustomer.get(id) ?? []);
    out.set(id, { revenue, costs, margins });
  }
  return out;
}
