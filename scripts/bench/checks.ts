import type pg from "pg";
import { Dec } from "@/lib/money";
import { ASSET, mapLimit, UNIT_PRICE, type BenchCustomer } from "./fixtures";
import { sleep } from "./stats";

/**
 * Correctness after each phase: every touched wallet's balance is exactly its funding
 * minus its charges × UNIT_PRICE (counted from usage_events for HTTP customers, from the
 * resolved charge() calls for the ledger-direct ones), and verifyLedger finds nothing.
 */

export interface LedgerDeps {
  pool: () => pg.Pool;
  readWallet: typeof import("@/lib/ledger").readWallet;
  verifyLedger: typeof import("@/lib/ledger").verifyLedger;
}

export interface PhaseEvents {
  billed: number;
  /** status → count of stored events that are not `billed` (must stay empty). */
  other: Record<string, number>;
}

const SETTLE_POLL_MS = 500;
const SETTLE_MAX_MS = 30_000;
const CHECK_CONCURRENCY = 8;

async function countPhaseEvents(pool: pg.Pool, tag: string): Promise<PhaseEvents> {
  const { rows } = await pool.query<{ status: string; n: string }>(
    "SELECT status, count(*) AS n FROM usage_events WHERE event_id LIKE $1 GROUP BY status",
    [`${tag}-%`],
  );
  const other: Record<string, number> = {};
  let billed = 0;
  for (const r of rows) {
    if (r.status === "billed") billed = Number(r.n);
    else other[r.status] = Number(r.n);
  }
  return { billed, other };
}

/**
 * autocannon stops at its deadline without waiting for the answers in flight; the server
 * still finishes them. Waits until the phase's stored events stop changing (bounded).
 */
export async function settlePhase(pool: pg.Pool, tag: string): Promise<PhaseEvents> {
  const deadline = Date.now() + SETTLE_MAX_MS;
  let last = await countPhaseEvents(pool, tag);
  while (Date.now() < deadline) {
    await sleep(SETTLE_POLL_MS);
    const now = await countPhaseEvents(pool, tag);
    if (now.billed === last.billed && JSON.stringify(now.other) === JSON.stringify(last.other)) return now;
    last = now;
  }
  throw new Error(`usage events of ${tag} were still changing after ${SETTLE_MAX_MS / 1000} s`);
}

/** customer id → billed usage events, from storage. */
export async function billedEvents(pool: pg.Pool, customers: BenchCustomer[]): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ customer_id: string; n: string }>(
    "SELECT customer_id, count(*) AS n FROM usage_events WHERE customer_id = ANY($1::text[]) AND status = 'billed' GROUP BY customer_id",
    [customers.map((c) => c.id)],
  );
  return new Map(rows.map((r) => [r.customer_id, Number(r.n)]));
}

/** Failures as readable lines (empty: every wallet is exact and its ledger sound). */
export async function checkWallets(deps: LedgerDeps, customers: BenchCustomer[], charges: Map<string, number>): Promise<string[]> {
  const failures: string[] = [];
  await mapLimit(customers, CHECK_CONCURRENCY, async (customer) => {
    const n = charges.get(customer.id) ?? 0;
    const expected = customer.funded.minus(UNIT_PRICE.times(n));
    const accounts = await deps.readWallet(customer.id);
    const account = accounts.find((a) => a.name === "default" && a.asset === ASSET);
    const actual = account?.available ?? new Dec(0);
    if (!actual.eq(expected)) {
      failures.push(`${customer.id}: balance ${actual.toFixed()} != ${customer.funded.toFixed()} − ${n} × ${UNIT_PRICE.toFixed()} = ${expected.toFixed()}`);
    }
    for (const v of await deps.verifyLedger(customer.id)) failures.push(`${customer.id}: verifyLedger ${v.rule} on ${v.accountId}: ${v.detail}`);
  });
  return failures;
}
