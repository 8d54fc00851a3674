import { pool } from "@/lib/db";
import { OPEN_HOLDS_OF_ACCOUNT_SQL } from "@/lib/ledger";
import { Dec } from "@/lib/money";
import { getCustomerMargins, type CustomerMargins } from "@/lib/stats/customer-margins";
import type { Tenant } from "@/lib/tenant";

/** What the console's customer list shows beside each customer. */
export interface CustomerListFigures {
  /** Available per asset (all of the customer's accounts in that asset, net of open holds, as the API's `available`), now. */
  balances: { asset: string; balance: Dec }[];
  /** This UTC month's revenue, costs and margins (lib/stats, the same as GET /customers/{id}/stats). */
  month: CustomerMargins;
}

/**
 * Balances and this month's margins of a page of customers, in two queries whatever the
 * page's size. Scoped to the tenant: ids of another platform or mode get empty figures.
 */
export async function getCustomerListFigures(tenant: Tenant, customerIds: readonly string[]): Promise<Map<string, CustomerListFigures>> {
  const [balances, margins] = await Promise.all([
    pool().query<{ customer_id: string; asset: string; balance: string }>(
      `SELECT a.customer_id, a.asset, sum(a.balance - ${OPEN_HOLDS_OF_ACCOUNT_SQL})::text AS balance
         FROM accounts a JOIN customers c ON c.id = a.customer_id
        WHERE a.customer_id = ANY($1::text[]) AND c.platform_id = $2 AND c.live_mode = $3
        GROUP BY a.customer_id, a.asset ORDER BY a.customer_id, a.asset`,
      [customerIds, tenant.platformId, tenant.liveMode],
    ),
    getCustomerMargins(tenant, customerIds),
  ]);
  const out = new Map<string, CustomerListFigures>();
  for (const id of customerIds) out.set(id, { balances: [], month: margins.get(id) ?? { revenue: [], costs: [], margins: [] } });
  for (const r of balances.rows) out.get(r.customer_id)?.balances.push({ asset: r.asset, balance: new Dec(r.balance) });
  return out;
}
