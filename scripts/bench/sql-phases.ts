import type pg from "pg";
import { Dec } from "@/lib/money";
import { ASSET, BATCH_FUNDING, HOT_FUNDING, UNIT_PRICE, type BenchCustomer } from "./fixtures";
import { countError, noErrors, type ErrorCounts, type LatencyFigure, type ThroughputFigure } from "./figures";
import { bursts, paced } from "./pacing";

/**
 * The plain-SQL yardstick: the same debits as each phase with nothing of Drawdown around
 * them (no HTTP, no auth, no pricing, no grants, no usage_events, no JavaScript ledger):
 * ONE statement per batch, on the same pool size and database, that takes the batch's
 * total from the account under a balance guard (`balance >= total`, the row lock orders
 * concurrent debits of one wallet) and writes a ledger_transactions row and a
 * ledger_entries row per charge. It is what PostgreSQL alone does on this machine for the
 * same work; every HTTP and ledger-direct figure is shown as a fraction of it.
 *
 * It runs on customers of its own, made here in one statement (customer, account, a
 * funding transaction and entry), and checked by checkSqlWallets: balance = funding −
 * charges × UNIT_PRICE = the sum of the account's entries.
 */

export interface SqlContext {
  pool: pg.Pool;
  /** customer id → successful charges so far (all runs). */
  charged: Map<string, number>;
  /** Unique per phase and run: transaction ids are `${tag}-${seq}-${n}`. */
  tag: string;
}

export interface SqlFixtures {
  customers: BenchCustomer[];
  hot: BenchCustomer;
}

const accountId = (customerId: string) => `sqlacc_${customerId}`;

/** `count` customers of `platformId`, each with a funded default USD account, in one statement. */
async function createSqlCustomers(pool: pg.Pool, platformId: string, label: string, count: number, funded: Dec): Promise<BenchCustomer[]> {
  const ids = Array.from({ length: count }, (_, i) => `cust_sql_${label}_${i}`);
  await pool.query(
    `WITH c AS (
       INSERT INTO customers (id, platform_id, live_mode, name) SELECT id, $2, false, 'plain-SQL yardstick' FROM unnest($1::text[]) AS id RETURNING id),
     a AS (
       INSERT INTO accounts (id, customer_id, name, asset, balance) SELECT 'sqlacc_' || id, id, 'default', $4, $3::numeric FROM c RETURNING id, customer_id),
     t AS (
       INSERT INTO ledger_transactions (id, customer_id, idempotency_key, request_hash, kind, result)
       SELECT 'fund_' || customer_id, customer_id, 'fund', '', 'credit', '{}' FROM a)
     INSERT INTO ledger_entries (transaction_id, customer_id, account_id, amount, kind)
     SELECT 'fund_' || customer_id, customer_id, id, $3::numeric, 'credit' FROM a`,
    [ids, platformId, funded.toFixed(), ASSET],
  );
  return ids.map((id) => ({ id, funded }));
}

export async function createSqlFixtures(pool: pg.Pool, platformId: string, customers: number): Promise<SqlFixtures> {
  const list = await createSqlCustomers(pool, platformId, "batch", customers, BATCH_FUNDING);
  const [hot] = await createSqlCustomers(pool, platformId, "hot", 1, HOT_FUNDING);
  return { customers: list, hot: hot! };
}

/**
 * `count` charges of UNIT_PRICE for one customer in one statement: the guarded balance
 * update, then one transaction and one entry per charge. Refused (no rows) when the
 * balance cannot pay the whole batch.
 */
const DEBIT_SQL = `
  WITH debit AS (
    UPDATE accounts SET balance = balance - $3::numeric * $4::int, updated_at = now()
     WHERE customer_id = $1 AND name = 'default' AND asset = $5 AND balance >= $3::numeric * $4::int
    RETURNING id),
  txs AS (
    INSERT INTO ledger_transactions (id, customer_id, idempotency_key, request_hash, kind, result)
    SELECT $2 || '-' || n, $1, $2 || '-' || n, '', 'charge', '{}' FROM debit, generate_series(1, $4::int) AS n)
  INSERT INTO ledger_entries (transaction_id, customer_id, account_id, amount, kind)
  SELECT $2 || '-' || n, $1, debit.id, -$3::numeric, 'charge' FROM debit, generate_series(1, $4::int) AS n`;

async function debit(ctx: SqlContext, customerId: string, seq: number, count: number): Promise<void> {
  const { rowCount } = await ctx.pool.query({
    name: "bench_sql_debit",
    text: DEBIT_SQL,
    values: [customerId, `${ctx.tag}-${seq}`, UNIT_PRICE.toFixed(), count, ASSET],
  });
  if (rowCount !== count) throw Object.assign(new Error(`debit refused by the balance guard (${rowCount}/${count})`), { code: "refused" });
  ctx.charged.set(customerId, (ctx.charged.get(customerId) ?? 0) + count);
}

function recordFailure(errors: ErrorCounts, error: unknown): void {
  errors.non200++;
  countError(errors, String((error as { code?: unknown } | null)?.code ?? "error"));
}

async function throughput(seconds: number, workers: number, step: (errors: ErrorCounts) => Promise<number>): Promise<ThroughputFigure> {
  const errors = noErrors();
  let ops = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < deadline) {
        // Not `ops += await step()`: that reads ops before the await and loses other workers' counts.
        const done = await step(errors);
        ops += done;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return { ops, seconds: elapsed, perSecond: ops / elapsed, errors };
}

/** (a) Workers each debit one customer `perBatch` charges in one statement, round robin. */
export function sqlBatched(ctx: SqlContext, customers: BenchCustomer[], perBatch: number, workers: number, seconds: number): Promise<ThroughputFigure> {
  let seq = 0;
  let next = 0;
  return throughput(seconds, workers, (errors) =>
    debit(ctx, customers[next++ % customers.length]!.id, seq++, perBatch).then(
      () => perBatch,
      (e: unknown) => (recordFailure(errors, e), 0),
    ),
  );
}

/** (b) Workers each debit the one hot customer, one charge per statement. */
export function sqlHot(ctx: SqlContext, customer: BenchCustomer, workers: number, seconds: number): Promise<ThroughputFigure> {
  let seq = 0;
  return throughput(seconds, workers, (errors) =>
    debit(ctx, customer.id, seq++, 1).then(
      () => 1,
      (e: unknown) => (recordFailure(errors, e), 0),
    ),
  );
}

/** (c) autocannon's per-second bursts (as directBursts), one charge per statement. */
export function sqlBursts(ctx: SqlContext, customers: BenchCustomer[], rate: number, connections: number, seconds: number): Promise<LatencyFigure> {
  const errors = noErrors();
  return bursts(rate, connections, seconds, (i) => debit(ctx, customers[i % customers.length]!.id, i, 1), errors, (e) => recordFailure(errors, e));
}

/** (c') One charge per statement at an even `rate`, spread over the customers. */
export function sqlPaced(ctx: SqlContext, customers: BenchCustomer[], rate: number, seconds: number): Promise<LatencyFigure> {
  const errors = noErrors();
  return paced(rate, seconds, (i) => debit(ctx, customers[i % customers.length]!.id, i, 1), errors, (e) => recordFailure(errors, e));
}

/** Failures as readable lines: balance = funding − charges × UNIT_PRICE = the sum of the account's entries. */
export async function checkSqlWallets(pool: pg.Pool, customers: BenchCustomer[], charged: Map<string, number>): Promise<string[]> {
  const { rows } = await pool.query<{ customer_id: string; balance: string; entries: string; charges: string }>(
    `SELECT a.customer_id, a.balance::text,
            (SELECT COALESCE(sum(e.amount), 0) FROM ledger_entries e WHERE e.customer_id = a.customer_id AND e.account_id = a.id)::text AS entries,
            (SELECT count(*) FROM ledger_entries e WHERE e.customer_id = a.customer_id AND e.account_id = a.id AND e.kind = 'charge') AS charges
       FROM accounts a WHERE a.customer_id = ANY($1::text[]) AND a.id = 'sqlacc_' || a.customer_id`,
    [customers.map((c) => c.id)],
  );
  const byId = new Map(rows.map((r) => [r.customer_id, r]));
  const failures: string[] = [];
  for (const c of customers) {
    const row = byId.get(c.id);
    const n = charged.get(c.id) ?? 0;
    const expected = c.funded.minus(UNIT_PRICE.times(n));
    if (!row) failures.push(`${c.id}: no account ${accountId(c.id)}`);
    else if (!new Dec(row.balance).eq(expected) || !new Dec(row.entries).eq(expected) || Number(row.charges) !== n) {
      failures.push(`${c.id}: balance ${row.balance}, entries sum ${row.entries}, ${row.charges} charge entries; expected ${expected.toFixed()} after ${n} charges`);
    }
  }
  return failures;
}
