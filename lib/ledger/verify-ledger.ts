import { pool } from "@/lib/db";
import { Dec, ZERO } from "@/lib/money";
import { EFFECTIVE_OVERDRAFT_LIMIT_SQL } from "./wallet-sql";

export interface LedgerViolation {
  accountId: string;
  rule: string;
  detail: string;
}

/**
 * Checks a customer's ledger invariants (PRODUCT.md, "Ledger"), straight from storage:
 * 1. the cached balance equals the sum of the account's entries;
 * 2. live grants' remainders match the balance: balance = Σ remaining when balance ≥ 0,
 *    and no grant has anything left while the account is in debt;
 * 3. every grant has 0 ≤ remaining ≤ amount, and remaining = amount + Σ its entries
 *    after the crediting entry (what was drawn, expired or reversed from it);
 * 4. no account is below its overdraft floor, except by debt recorded by reversals
 *    (a refund of credit already spent), which the floor does not limit;
 * 5. holds: 0 ≤ captured ≤ amount; an open hold has released nothing and no closed_at; a
 *    closed one released exactly amount − captured; and what open, unexpired holds still
 *    reserve never takes an account's available amount below its floor.
 * Returns the violations (empty when the ledger is sound).
 */
export async function verifyLedger(customerId: string): Promise<LedgerViolation[]> {
  const db = pool();
  const { rows } = await db.query<{
    id: string; name: string; asset: string; balance: string; overdraft_limit: string;
    entry_sum: string; remaining_sum: string; reversal_debt: string; held: string;
  }>(
    `SELECT a.id, a.name, a.asset, a.balance, ${EFFECTIVE_OVERDRAFT_LIMIT_SQL} AS overdraft_limit,
            COALESCE((SELECT sum(e.amount) FROM ledger_entries e WHERE e.customer_id = a.customer_id AND e.account_id = a.id), 0) AS entry_sum,
            COALESCE((SELECT sum(g.remaining) FROM credit_grants g WHERE g.customer_id = a.customer_id AND g.account_id = a.id AND g.status = 'live'), 0) AS remaining_sum,
            COALESCE((SELECT -sum(e.amount) FROM ledger_entries e WHERE e.customer_id = a.customer_id AND e.account_id = a.id AND e.kind = 'reverse_debt'), 0) AS reversal_debt,
            COALESCE((SELECT sum((x->>'amount')::numeric - (x->>'captured')::numeric)
                        FROM holds h CROSS JOIN jsonb_array_elements(h.amounts) x
                       WHERE h.customer_id = a.customer_id AND h.status = 'held' AND h.expires_at > now() AND x->>'account_id' = a.id), 0) AS held
       FROM accounts a WHERE a.customer_id = $1`,
    [customerId],
  );
  const violations: LedgerViolation[] = [];
  for (const r of rows) {
    const id = `${r.name}:${r.asset}`;
    const balance = new Dec(r.balance);
    const remaining = new Dec(r.remaining_sum);
    if (!balance.eq(r.entry_sum)) violations.push({ accountId: id, rule: "balance_equals_entries", detail: `balance ${r.balance} != entries ${r.entry_sum}` });
    if (balance.gte(0) && !remaining.eq(balance)) violations.push({ accountId: id, rule: "grants_match_balance", detail: `Σ remaining ${r.remaining_sum} != balance ${r.balance}` });
    if (balance.lt(0) && !remaining.isZero()) violations.push({ accountId: id, rule: "no_grant_left_in_debt", detail: `Σ remaining ${r.remaining_sum} while balance ${r.balance}` });
    const floor = new Dec(r.overdraft_limit).plus(Dec.max(ZERO, new Dec(r.reversal_debt))).neg();
    if (balance.lt(floor)) violations.push({ accountId: id, rule: "overdraft_floor", detail: `balance ${r.balance} < floor ${floor.toFixed()}` });
    if (balance.minus(r.held).lt(floor)) violations.push({ accountId: id, rule: "holds_within_available", detail: `balance ${r.balance} − held ${r.held} < floor ${floor.toFixed()}` });
  }
  const { rows: holds } = await db.query<{ id: string; status: string; closed_at: Date | null; amounts: { amount: string; captured: string; released: string }[] }>(
    "SELECT id, status, closed_at, amounts FROM holds WHERE customer_id = $1",
    [customerId],
  );
  for (const h of holds) {
    const open = h.status === "held";
    if (open !== (h.closed_at === null)) violations.push({ accountId: h.id, rule: "hold_closed_at", detail: `${h.status} with closed_at ${String(h.closed_at)}` });
    for (const a of h.amounts) {
      const amount = new Dec(a.amount);
      const captured = new Dec(a.captured);
      const released = new Dec(a.released);
      if (captured.lt(0) || captured.gt(amount)) violations.push({ accountId: h.id, rule: "hold_captured_bounds", detail: `captured ${a.captured} of ${a.amount}` });
      const expected = open ? ZERO : amount.minus(captured);
      if (!released.eq(expected)) violations.push({ accountId: h.id, rule: "hold_released", detail: `${h.status}: released ${a.released}, expected ${expected.toFixed()}` });
    }
  }
  const { rows: grants } = await db.query<{ id: string; amount: string; remaining: string; status: string; movement: string }>(
    `SELECT g.id, g.amount, g.remaining, g.status,
            COALESCE((SELECT sum(e.amount) FROM ledger_entries e WHERE e.customer_id = g.customer_id AND e.grant_id = g.id AND e.kind <> 'credit'), 0) AS movement
       FROM credit_grants g WHERE g.customer_id = $1`,
    [customerId],
  );
  for (const g of grants) {
    const remaining = new Dec(g.remaining);
    if (remaining.lt(0) || remaining.gt(g.amount)) violations.push({ accountId: g.id, rule: "grant_bounds", detail: `remaining ${g.remaining} of ${g.amount}` });
    // A grant created while the account was in debt starts with less than its amount:
    // the debt it paid is the difference, so only check grants' movements against an upper bound.
    const expected = new Dec(g.amount).plus(g.movement);
    if (remaining.gt(expected)) violations.push({ accountId: g.id, rule: "grant_matches_entries", detail: `remaining ${g.remaining} > amount + movements ${expected.toFixed()}` });
  }
  return violations;
}
