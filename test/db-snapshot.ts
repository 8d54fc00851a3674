import { pool } from "@/lib/db";

/**
 * What the database holds for a set of platforms, to prove that a request wrote nothing:
 * the row count and an md5 of the full row text of every table a platform's data lives in,
 * plus the balances of every account (and the remainder of every grant) spelled out, so a
 * failing comparison shows which balance moved.
 *
 * Scoped to the given platforms (by `platform_id`, or through their customers and
 * products) rather than whole tables: test files share one database and run in parallel,
 * so global counts would move under a test's feet. A request can only write through its
 * key's platform or the customers and products it names, so scoping loses nothing.
 */
export interface DbSnapshot {
  counts: Record<string, number>;
  checksums: Record<string, string>;
  /** "cust_…/default:USD available=… overdraft=… pending_in=… pending_out=…", sorted. */
  balances: string[];
  /** "grant_… remaining=… status=…", sorted. */
  grants: string[];
}

const customersOf = "SELECT id FROM customers WHERE platform_id = ANY($1::text[])";
const productsOf = "SELECT id FROM products WHERE platform_id = ANY($1::text[])";
const endpointsOf = "SELECT id FROM webhook_endpoints WHERE platform_id = ANY($1::text[])";

/** Table → the rows of it that belong to the platforms in $1. */
const scopes: Record<string, string> = {
  platforms: "id = ANY($1::text[])",
  api_keys: "platform_id = ANY($1::text[])",
  customers: "platform_id = ANY($1::text[])",
  assets: "platform_id = ANY($1::text[])",
  products: "platform_id = ANY($1::text[])",
  product_versions: `product_id IN (${productsOf})`,
  subscriptions: `customer_id IN (${customersOf}) OR product_id IN (${productsOf})`,
  accounts: `customer_id IN (${customersOf})`,
  credit_grants: `customer_id IN (${customersOf})`,
  ledger_transactions: `customer_id IN (${customersOf})`,
  ledger_entries: `customer_id IN (${customersOf})`,
  usage_events: `platform_id = ANY($1::text[]) OR customer_id IN (${customersOf})`,
  top_ups: `platform_id = ANY($1::text[]) OR customer_id IN (${customersOf})`,
  redirect_tokens: `customer_id IN (${customersOf})`,
  portal_sessions: `customer_id IN (${customersOf})`,
  webhook_endpoints: "platform_id = ANY($1::text[])",
  webhook_deliveries: `endpoint_id IN (${endpointsOf})`,
};

export const SNAPSHOT_TABLES = Object.keys(scopes);

export async function snapshotPlatforms(platformIds: readonly string[]): Promise<DbSnapshot> {
  const ids = [...platformIds];
  const counts: Record<string, number> = {};
  const checksums: Record<string, string> = {};
  // One statement per table, sequentially: a snapshot is taken between requests, never during one.
  for (const [table, where] of Object.entries(scopes)) {
    const { rows } = await pool().query<{ n: number; sum: string }>(
      `SELECT count(*)::int AS n, coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') AS sum
         FROM ${table} t WHERE ${where}`,
      [ids],
    );
    counts[table] = rows[0]!.n;
    checksums[table] = rows[0]!.sum;
  }
  const { rows: accounts } = await pool().query<{ line: string }>(
    `SELECT customer_id || '/' || name || ':' || asset || ' available=' || balance || ' overdraft=' || COALESCE(overdraft_limit::text, 'default')
            || ' pending_in=' || pending_in || ' pending_out=' || pending_out AS line
       FROM accounts WHERE customer_id IN (${customersOf}) ORDER BY 1`,
    [ids],
  );
  const { rows: grants } = await pool().query<{ line: string }>(
    `SELECT id || ' remaining=' || remaining || ' status=' || status AS line
       FROM credit_grants WHERE customer_id IN (${customersOf}) ORDER BY 1`,
    [ids],
  );
  return { counts, checksums, balances: accounts.map((r) => r.line), grants: grants.map((r) => r.line) };
}
