import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { invalidateAutoTopUpCache } from "@/lib/auto-top-ups/enabled-settings-cache";
import { pool } from "@/lib/db";
import { arrayLiteral } from "@/lib/ledger/unnest-columns";
import { apiClient, startTestApiServer, type TestApiServer } from "@/test/api-server";
import { createTestPlatform } from "@/test/factories";
import { withScratchDatabase } from "@/test/scratch-database";
import { productExample } from "@/test/seed";
import { migrate } from "@/scripts/db/migrate";

/**
 * Keeps docs/scaling.md true: on Citus (or YugabyteDB) every per-customer table is
 * distributed by `customer_id`, so a ledger transaction stays on one shard only while every
 * statement it sends names the customer. This test captures the statements a real batch
 * sends to PostgreSQL (a wrapper around pg's Client#query, no mock: the statements run)
 * and fails when one of them stops filtering or writing by the customer id.
 *
 * The batch is made to touch every writer of the ledger's transaction: the ledger's load
 * and flush (lib/ledger/wallet-sql.ts), the usage events and their stats rollups fused into
 * the flush (lib/usage, lib/stats), the webhook outbox (a refused event, a low balance)
 * and auto top-up's trigger insert (a threshold crossed).
 */

interface Captured {
  text: string;
  name?: string;
  values: unknown[];
  /** The parameters as sent (array literals as text). */
  sent?: unknown[];
}

/** Per pg client: the statements of its open transaction; closed transactions land in `transactions`. */
const open = new WeakMap<object, Captured[]>();
const transactions: Captured[][] = [];
let capturing = false;

const originalQuery = pg.Client.prototype.query;
// Wraps the prototype before lib/db makes its pool (it does so lazily, on first use).
pg.Client.prototype.query = function capture(this: object, ...args: unknown[]) {
  if (capturing) record(this, args);
  return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof pg.Client.prototype.query;

function record(client: object, args: unknown[]): void {
  const [first, second] = args;
  const config = typeof first === "string" ? { text: first } : (first as { text?: string; name?: string; values?: unknown[] } | null);
  if (!config?.text) return;
  const statement: Captured = {
    text: config.text,
    name: config.name,
    values: (Array.isArray(second) ? second : (config.values ?? [])).map(fromArrayLiteral),
    sent: Array.isArray(second) ? second : (config.values ?? []),
  };
  const head = statement.text.trimStart().toUpperCase();
  if (head.startsWith("BEGIN")) {
    open.set(client, [statement]);
    return;
  }
  const tx = open.get(client);
  if (!tx) return;
  tx.push(statement);
  if (head.startsWith("COMMIT") || head.startsWith("ROLLBACK")) {
    open.delete(client);
    transactions.push(tx);
  }
}

/** An array parameter sent as PostgreSQL's array literal (the flush's arrayLiteral) read back as the array it stands for. */
function fromArrayLiteral(value: unknown): unknown {
  if (typeof value !== "string" || !value.startsWith("{") || !value.endsWith("}")) return value;
  return [...value.slice(1, -1).matchAll(/"((?:[^"\\]|\\.)*)"|([^,]+)/g)].map(([, quoted, bare]) =>
    quoted !== undefined ? quoted.replace(/\\(.)/g, "$1") : bare === "NULL" ? null : bare,
  );
}

const CONTROL = /^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|SET\b)/i;

/** Tables whose rows belong to one customer: distributed by customer_id in docs/scaling.md. */
const PER_CUSTOMER_TABLES = [
  "accounts", "credit_grants", "ledger_transactions", "ledger_entries", "usage_events", "usage_rollups",
  "auto_top_up_settings", "auto_top_ups", "webhook_events", "top_ups", "customers",
];

/** The per-customer tables a statement reads or writes. */
function tablesOf(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/\b(?:FROM|JOIN|INTO|UPDATE)\s+([a-z_]+)/gi)) {
    const table = m[1]!.toLowerCase();
    if (PER_CUSTOMER_TABLES.includes(table)) found.add(table);
  }
  return [...found];
}

/**
 * Why a statement would leave one shard (null: it stays on the customer's): it must bind
 * the customer id as a parameter, alone or as an array of ids (group commit: the ledger's
 * statements take one id per row), and use that parameter against a `customer_id` column
 * (or `customers.id`, the same value: the customers table is distributed by its id). An
 * array that holds another customer's id means the statement reaches another shard.
 */
function shardingKeyProblem(statement: Captured, customerId: string): string | null {
  if (CONTROL.test(statement.text)) return null;
  const isIds = (v: unknown) => Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === "string" && x.startsWith("cust_"));
  if (statement.values.some((v) => isIds(v) && (v as string[]).some((x) => x !== customerId))) return "binds another customer's id";
  const scalars = statement.values.flatMap((v, i) => (v === customerId ? [i + 1] : []));
  const arrays = statement.values.flatMap((v, i) => (isIds(v) && (v as string[]).includes(customerId) ? [i + 1] : []));
  if (scalars.length + arrays.length === 0) return "does not bind the customer id";
  const param = (n: number) => `\\$${n}(?!\\d)`;
  const keyedScalar = scalars.some((n) => {
    const filters = new RegExp(`(customer_id|\\bc\\.id)\\s*=\\s*${param(n)}|${param(n)}(::text)?\\s*=\\s*[a-z_.]*customer_id`, "i");
    // An INSERT … SELECT $1, … writes the parameter into the customer_id column.
    const writes = /\bINSERT\s+INTO\s+[a-z_]+(\s+AS\s+[a-z_]+)?\s*\(\s*(id,\s*)?customer_id\b/i.test(statement.text) && new RegExp(`SELECT\\s+(?:[a-z_.]+,\\s*)?${param(n)}`, "i").test(statement.text);
    return filters.test(statement.text) || writes;
  });
  const keyedArray = arrays.some((n) => {
    const filters = new RegExp(`(customer_id|\\bc\\.id)\\s*=\\s*ANY\\s*\\(\\s*${param(n)}`, "i");
    // unnest($n::text[], …) AS v(customer_id, …): each row's customer_id column.
    const rows = new RegExp(`unnest\\(\\s*${param(n)}::text\\[\\][^)]*\\)\\s+AS\\s+[a-z_]+\\(\\s*customer_id\\b`, "i");
    return filters.test(statement.text) || rows.test(statement.text);
  });
  if (!keyedScalar && !keyedArray) return "binds the customer id but never compares or writes it as customer_id";
  // Every per-customer table it names must be reached through customer_id (or customers.id).
  if (!/customer_id/i.test(statement.text) && tablesOf(statement.text).some((t) => t !== "customers")) return "names a per-customer table without customer_id";
  return null;
}

let server: TestApiServer;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  server = await startTestApiServer();
  api = apiClient(server.url, (await createTestPlatform("Sharding key")).apiKey);
  expect((await api("POST", "/assets", { code: "CREDIT", name: "Credits", precision: 0, rates: [{ source: "USD", rate: 0.01 }] })).status).toBe(201);
  expect((await api("POST", "/products", productExample)).status).toBe(201);
});
afterAll(async () => {
  pg.Client.prototype.query = originalQuery;
  await server.close();
});

/**
 * One real ledger batch that touches every writer of the ledger's transaction (see the
 * file's comment): the customer's id and the statements of the transactions that flushed.
 */
async function captureBatch(): Promise<{ customerId: string; statements: Captured[] }> {
  transactions.length = 0;
  const customer = await api("POST", "/customers", { name: "Shard", subscriptions: [{ products: [{ code: "chat" }] }] });
  expect(customer.status).toBe(201);
  const customerId = customer.body.id as string;
  const vendor = await api("POST", "/vendors", { name: "OpenAI", external_id: `openai-${customerId}` });
  expect(vendor.status).toBe(201);
  expect((await api("POST", `/customers/${customerId}/wallet/adjustments`, { transaction_id: "fund", asset: "USD", amount: 25, reason: "external_topup" })).status).toBe(201);
  // A low-balance webhook and an auto top-up request both fire when 25 → 23.75.
  await pool().query("UPDATE accounts SET low_balance_threshold = 24.5 WHERE customer_id = $1", [customerId]);
  await pool().query(
    `INSERT INTO auto_top_up_settings (customer_id, account_name, asset, enabled, threshold, amount, currency, monthly_cap, updated_at)
     VALUES ($1, 'default', 'USD', true, 24, 20, 'usd', 100, now())`,
    [customerId],
  );
  invalidateAutoTopUpCache(customerId);

  capturing = true;
  const res = await api("POST", "/events", {
    customer_id: customerId,
    events: [
      // $1.25, with a vendor cost (a stats rollup row per status and kind)
      { id: "billed", event_type: "message_completed", occurred_at: "2026-11-30T10:00:00Z", data: { model: "gpt-4-1", input_tokens: 1000000 }, costs: [{ vendor_id: vendor.body.id, amount: 0.4, currency: "USD" }] },
      // $125 > the balance: refused (an `event.refused` webhook in the outbox)
      { id: "refused", event_type: "message_completed", occurred_at: "2026-11-30T10:01:00Z", data: { model: "gpt-4-1", input_tokens: 100000000 } },
      { id: "unbilled", event_type: "not_priced", occurred_at: "2026-11-30T10:02:00Z" },
    ],
  });
  capturing = false;
  expect(res.status).toBe(200);
  expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(["billed", "refused", "unbilled"]);
  return { customerId, statements: transactions.filter((tx) => tx.some((s) => s.name?.startsWith("ledger_flush"))).flat() };
}

/**
 * Runs `run` on a database of its own, migrated, whose tables each hold FILLER_ROWS rows
 * over FILLER_CUSTOMERS customers and FILLER_PLATFORMS platforms, analyzed, so the plans
 * are the same on every run. Rows are made from each table's columns (a unique text per
 * row, the type's zero elsewhere), so a table added later is filled too. Dropped afterwards.
 *
 * The size is the benchmark's (2,018 customers), where the outbox's hash join over every
 * customer was found: checked, the test fails with that join put back. At 20,000 rows the
 * planner's own choice is a per-key lookup anyway, and at 500 a sequential scan is its
 * right choice for the wallet reads too.
 */
const FILLER_ROWS = 2_000;
const FILLER_CUSTOMERS = 2_000;
const FILLER_PLATFORMS = 20;

async function withPlannedDatabase<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  return withScratchDatabase("plans", async (url) => {
    await migrate(url);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows: columns } = await client.query<{ table_name: string; column_name: string; data_type: string; udt_name: string }>(
        `SELECT c.table_name, c.column_name, c.data_type, c.udt_name FROM information_schema.columns c
           JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
          WHERE c.table_schema = 'public' AND c.table_name <> '_prisma_migrations' AND c.is_generated = 'NEVER'
            AND (c.column_default IS NULL OR c.column_default NOT LIKE 'nextval(%')
          ORDER BY c.table_name, c.ordinal_position`,
      );
      // Rows, not relations: foreign keys are not checked while filling.
      await client.query("SET session_replication_role = replica");
      const tables = new Map<string, typeof columns>();
      for (const c of columns) tables.set(c.table_name, [...(tables.get(c.table_name) ?? []), c]);
      for (const [table, cols] of tables) {
        const value = (c: (typeof columns)[number]) =>
          c.column_name === "customer_id" ? `'cust_filler' || (g % ${FILLER_CUSTOMERS})`
          : c.column_name === "platform_id" ? `'plat_filler' || (g % ${FILLER_PLATFORMS})`
          : c.column_name === "id" && table === "customers" ? "'cust_filler' || g"
          : c.column_name === "id" && table === "platforms" ? "'plat_filler' || g"
          : c.data_type === "text" || c.data_type === "character varying" ? `'${c.column_name}_' || g`
          : c.data_type === "ARRAY" ? `ARRAY[]::${c.udt_name.slice(1)}[]`
          : c.data_type === "boolean" ? "g % 2 = 0"
          : c.data_type === "jsonb" || c.data_type === "json" ? `'{}'::${c.data_type}`
          : c.data_type.startsWith("timestamp") ? "now() - g * interval '1 second'"
          : c.data_type === "date" ? "current_date - g % 365"
          : "g";
        await client.query(
          `INSERT INTO ${client.escapeIdentifier(table)} (${cols.map((c) => client.escapeIdentifier(c.column_name)).join(", ")})
           SELECT ${cols.map(value).join(", ")} FROM generate_series(1, ${FILLER_ROWS}) AS g`,
        );
      }
      await client.query("RESET session_replication_role");
      await client.query("ANALYZE");
      return await run(client);
    } finally {
      await client.end();
    }
  });
}

describe("the sharding key (docs/scaling.md)", () => {
  it("every statement of a real ledger batch filters or writes by the customer's id", async () => {
    const { customerId, statements } = await captureBatch();
    expect(statements.length).toBeGreaterThanOrEqual(1);
    const touched = new Set(statements.flatMap((s) => tablesOf(s.text)));
    // The batch really exercised every writer this test is about.
    for (const table of ["accounts", "credit_grants", "ledger_transactions", "ledger_entries", "usage_events", "usage_rollups", "webhook_events", "auto_top_ups"]) {
      expect(touched, `the batch never touched ${table}`).toContain(table);
    }
    const problems = statements
      .map((s) => ({ problem: shardingKeyProblem(s, customerId), sql: s.name ?? s.text.replace(/\s+/g, " ").slice(0, 160) }))
      .filter((p) => p.problem !== null);
    expect(problems).toEqual([]);
  });

  // The batch's named statements keep one generic plan for as long as the connection
  // lives, made whatever the tables' sizes: none may read a whole table (a join to
  // `customers` in the outbox insert was a hash join over every customer, in every flush
  // with webhooks, and the platform's defaults a scan of every platform in every load).
  // The plans are made in a database of their own whose tables hold a fixed number of
  // rows (withPlannedDatabase): the suite's shared one holds whatever the test files that ran
  // before left, and on small tables a sequential scan is the planner's right choice.
  it("no named statement of the batch scans a whole table under its generic plan", async () => {
    const { statements } = await captureBatch();
    const named = [...new Map(statements.filter((s) => s.name).map((s) => [s.name, s])).values()];
    // The flush holds only the writes that have rows: this batch opens no account, grant or hold.
    const flush = named.find((s) => s.name!.startsWith("ledger_flush"))!;
    for (const absent of ["new_accounts", "new_grants", "new_holds", "changed_holds"]) expect(flush.text).not.toContain(`${absent} AS (`);
    expect(flush.text).toContain("new_entries AS (");
    expect(named.map((s) => s.name).some((n) => n!.startsWith("ledger_load"))).toBe(true);
    const scans = await withPlannedDatabase(async (client) => {
      const found: string[] = [];
      for (const s of named) {
        await client.query("BEGIN");
        await client.query("SET LOCAL plan_cache_mode = force_generic_plan");
        await client.query(`PREPARE generic_plan_check AS ${s.text}`);
        const literal = (v: unknown) =>
          v === null || v === undefined ? "NULL" : client.escapeLiteral(Array.isArray(v) ? arrayLiteral(v) : typeof v === "string" ? v : String(v));
        const { rows } = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN (COSTS OFF) EXECUTE generic_plan_check(${s.sent!.map(literal).join(", ")})`);
        await client.query("ROLLBACK");
        await client.query("DEALLOCATE generic_plan_check");
        for (const { "QUERY PLAN": line } of rows) if (/Seq Scan on /.test(line)) found.push(`${s.name}: ${line.trim()}`);
      }
      return found;
    });
    expect(scans).toEqual([]);
  });

  it("the check itself refuses a statement that reaches a per-customer table by another key", () => {
    const id = "cust_x";
    expect(shardingKeyProblem({ text: "UPDATE accounts SET balance = $2 WHERE id = $1", values: ["acc_1", "3"] }, id)).toBe("does not bind the customer id");
    expect(shardingKeyProblem({ text: "SELECT * FROM credit_grants WHERE account_id = $1 AND status = $2", values: [id, "live"] }, id)).not.toBeNull();
    expect(shardingKeyProblem({ text: "INSERT INTO webhook_events (id, topic) SELECT $2, $1", values: [id, "evt"] }, id)).not.toBeNull();
    expect(shardingKeyProblem({ text: "SELECT * FROM accounts WHERE customer_id = $1", values: [id] }, id)).toBeNull();
    expect(shardingKeyProblem({ text: "INSERT INTO usage_rollups AS r (customer_id, day) SELECT $1, day FROM unnest($2::date[]) AS v(day)", values: [id, []] }, id)).toBeNull();
    // Ids as arrays (group commit): compared with = ANY, or each row's customer_id column.
    expect(shardingKeyProblem({ text: "SELECT * FROM accounts WHERE customer_id = ANY($1::text[])", values: [[id]] }, id)).toBeNull();
    expect(shardingKeyProblem({ text: "SELECT * FROM accounts WHERE id = ANY($1::text[])", values: [[id]] }, id)).not.toBeNull();
    expect(shardingKeyProblem({ text: "SELECT * FROM accounts WHERE customer_id = ANY($1::text[])", values: [[id, "cust_other"]] }, id)).toBe("binds another customer's id");
    expect(shardingKeyProblem({ text: "INSERT INTO ledger_entries (customer_id, amount) SELECT customer_id, amount FROM unnest($1::text[], $2::numeric[]) AS v(customer_id, amount)", values: [[id], ["1"]] }, id)).toBeNull();
    expect(shardingKeyProblem({ text: "INSERT INTO ledger_entries (customer_id, amount) SELECT customer_id, amount FROM unnest($2::numeric[], $1::text[]) AS v(amount, customer_id)", values: [[id], ["1"]] }, id)).not.toBeNull();
  });
});
