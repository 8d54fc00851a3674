import { pool } from "@/lib/db";
import { Dec } from "@/lib/money";
import { getStats, type Stats } from "@/lib/stats/get-stats";
import { ALL } from "@/lib/stats/rollup-facts";
import type { Tenant } from "@/lib/tenant";

/** The console's overview of a platform in one mode, for the current UTC month. */
export interface ConsoleOverview {
  /** The month's stats (lib/stats: the same figures as GET /stats), with a daily series for the chart. */
  stats: Stats;
  /** What customers hold now, per asset: the sum of positive balances, and of negative ones (overdrafts used). */
  balances: { asset: string; held: Dec; owed: Dec; accounts: number }[];
  customers: number;
  /** Customers with at least one usage event this month. */
  activeCustomers: number;
  /** Endpoints with deliveries given up (`failed`) or retrying after a failed attempt. */
  failingWebhooks: { endpointId: string; url: string; failed: number; retrying: number }[];
}

/**
 * Balances held, revenue, cost and margin this month, active customers, top-ups, refused
 * and unbilled events and failing webhooks, each scoped to the tenant (platform and mode).
 * Reads only; the figures are lib/stats' (the rollups), the rest a few aggregate queries.
 */
export async function getConsoleOverview(tenant: Tenant, now = new Date()): Promise<ConsoleOverview> {
  const args = [tenant.platformId, tenant.liveMode];
  const [stats, balances, customers, active, webhooks] = await Promise.all([
    getStats(tenant, { kind: "platform" }, { interval: "day" }),
    pool().query<{ asset: string; held: string; owed: string; accounts: string }>(
      `SELECT a.asset, coalesce(sum(a.balance) FILTER (WHERE a.balance > 0), 0)::text AS held,
              coalesce(-sum(a.balance) FILTER (WHERE a.balance < 0), 0)::text AS owed, count(*)::text AS accounts
         FROM accounts a JOIN customers c ON c.id = a.customer_id
        WHERE c.platform_id = $1 AND c.live_mode = $2
        GROUP BY a.asset ORDER BY a.asset`,
      args,
    ),
    pool().query<{ n: string }>(`SELECT count(*)::text AS n FROM customers WHERE platform_id = $1 AND live_mode = $2`, args),
    pool().query<{ n: string }>(
      `SELECT count(DISTINCT customer_id)::text AS n FROM usage_rollups
        WHERE platform_id = $1 AND live_mode = $2 AND product_id = $3 AND vendor_id = $3 AND day >= date_trunc('month', $4::timestamptz AT TIME ZONE 'UTC')::date`,
      [...args, ALL, now],
    ),
    pool().query<{ endpoint_id: string; url: string; failed: string; retrying: string }>(
      `SELECT e.id AS endpoint_id, e.url,
              count(*) FILTER (WHERE d.status = 'failed')::text AS failed,
              count(*) FILTER (WHERE d.status = 'pending' AND d.attempts > 0)::text AS retrying
         FROM webhook_endpoints e JOIN webhook_deliveries d ON d.endpoint_id = e.id
        WHERE e.platform_id = $1 AND e.live_mode = $2 AND (d.status = 'failed' OR (d.status = 'pending' AND d.attempts > 0))
        GROUP BY e.id, e.url ORDER BY count(*) DESC, e.id LIMIT 20`,
      args,
    ),
  ]);
  return {
    stats,
    balances: balances.rows.map((r) => ({ asset: r.asset, held: new Dec(r.held), owed: new Dec(r.owed), accounts: Number(r.accounts) })),
    customers: Number(customers.rows[0]?.n ?? 0),
    activeCustomers: Number(active.rows[0]?.n ?? 0),
    failingWebhooks: webhooks.rows.map((r) => ({ endpointId: r.endpoint_id, url: r.url, failed: Number(r.failed), retrying: Number(r.retrying) })),
  };
}
