import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { ConflictError, InsufficientFundsError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { Dec } from "@/lib/money";
import { credit, readWallet, registerBatchListener, runInCustomerBatch, verifyLedger } from "./index";
// Like every process that runs ledger batches: webhooks for what they cause (batch-listeners.ts).
import "@/lib/webhooks/ledger-outbox";

/**
 * Holds against an in-memory model: random holds, charges drawn from a hold (partial
 * captures), captures (charge + close in one batch), releases, extensions, expiries (the
 * hold's expiry moved into the past, then any batch), plain charges, credits and grant
 * expiries (a grant's expiry moved into the past, also under open holds: it keeps back
 * what they need, which captures draw first and plain charges last, and expires the rest
 * once they no longer need it). After every step the account's available amount and
 * pending_out, each grant's remaining, each hold's status and captured amount, and every
 * invariant of verifyLedger equal the model's.
 */
type Op =
  | { kind: "hold"; cents: number }
  | { kind: "charge"; cents: number }
  | { kind: "chargeFromHold"; hold: number; cents: number }
  | { kind: "capture"; hold: number; cents: number }
  | { kind: "release"; hold: number }
  | { kind: "extend"; hold: number }
  | { kind: "expire"; hold: number }
  | { kind: "credit"; cents: number }
  | { kind: "expireGrant"; grant: number };

interface ModelGrant {
  id: string;
  remaining: number;
  /** Drawdown order among grants of one purpose: the soonest expiry first. */
  expiresAt: number;
}

interface ModelHold {
  id: string;
  amount: number;
  captured: number;
  status: "held" | "captured" | "released" | "expired";
}

const leg = (cents: number) => ({ accountName: "default", asset: "USD", amount: new Dec(cents).div(100) });

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("hold" as const), cents: fc.integer({ min: 1, max: 4000 }) }),
  fc.record({ kind: fc.constant("charge" as const), cents: fc.integer({ min: 1, max: 3000 }) }),
  fc.record({ kind: fc.constant("chargeFromHold" as const), hold: fc.nat(), cents: fc.integer({ min: 1, max: 3000 }) }),
  fc.record({ kind: fc.constant("capture" as const), hold: fc.nat(), cents: fc.integer({ min: 1, max: 3000 }) }),
  fc.record({ kind: fc.constant("release" as const), hold: fc.nat() }),
  fc.record({ kind: fc.constant("extend" as const), hold: fc.nat() }),
  fc.record({ kind: fc.constant("expire" as const), hold: fc.nat() }),
  fc.record({ kind: fc.constant("credit" as const), cents: fc.integer({ min: 1, max: 3000 }) }),
  fc.record({ kind: fc.constant("expireGrant" as const), grant: fc.nat() }),
);

async function outcome<T>(p: Promise<T>): Promise<"ok" | "insufficient" | "conflict"> {
  try {
    await p;
    return "ok";
  } catch (error) {
    if (error instanceof InsufficientFundsError) return "insufficient";
    if (error instanceof ConflictError) return "conflict";
    throw error;
  }
}

/** `hold_expired` events per customer, as the batches hand them to their listeners. */
const expiredEvents = new Map<string, number>();
registerBatchListener("test-hold-expired", {
  async onFlush(_client, batches) {
    for (const batch of batches) {
      const n = batch.events.filter((e) => e.type === "hold_expired").length;
      if (n) expiredEvents.set(batch.customerId, (expiredEvents.get(batch.customerId) ?? 0) + n);
    }
  },
});

describe("holds against a model", () => {
  it("balances, pending_out, hold states and verifyLedger match after every step", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5000 }), fc.array(opArb, { minLength: 1, maxLength: 25 }), async (start, ops) => {
        const c = newId("cust");
        let balance = start;
        const holds: ModelHold[] = [];
        // Paid grants with explicit, distinct expiries: the model knows their drawdown order.
        const future = Date.now() + 365 * 24 * 3600 * 1000;
        const past = Date.now() - 3600 * 1000;
        const now = () => Date.now();
        const funded = await credit(c, { idempotencyKey: "fund", ...leg(start), purpose: "paid", expiresAt: new Date(future) });
        const grants: ModelGrant[] = [{ id: funded.grant_id!, remaining: start, expiresAt: future }];
        const held = () => holds.filter((h) => h.status === "held").reduce((s, h) => s + h.amount - h.captured, 0);
        const inOrder = () => [...grants].sort((a, b) => a.expiresAt - b.expiresAt);
        const due = (g: ModelGrant) => g.expiresAt <= now();
        /** Draws `cents` from the grants: kept (due) ones first for a hold's charge, last otherwise. */
        const drawDown = (cents: number, keptFirst: boolean) => {
          let left = cents;
          for (const pass of [keptFirst, !keptFirst]) {
            for (const g of inOrder()) {
              if (due(g) !== pass) continue;
              const take = Math.min(g.remaining, left);
              g.remaining -= take;
              left -= take;
            }
          }
        };
        /** What every batch does with due grants: expire what open holds do not need. */
        const settleGrants = () => {
          for (const g of inOrder()) {
            if (!due(g) || g.remaining === 0) continue;
            const x = Math.min(g.remaining, Math.max(0, balance - held()));
            g.remaining -= x;
            balance -= x;
          }
        };
        /** A charge of `cents` drawn first from `hold` (when open): what the ledger must do. */
        const modelCharge = (cents: number, hold?: ModelHold): boolean => {
          const open = hold?.status === "held";
          const take = open ? Math.min(hold!.amount - hold!.captured, cents) : 0;
          if (balance - held() + take - cents < 0) return false;
          balance -= cents;
          drawDown(cents, open);
          if (hold && take > 0) hold.captured += take;
          return true;
        };
        let n = 0;
        for (const op of ops) {
          n++;
          const hold = "hold" in op && holds.length > 0 ? holds[op.hold % holds.length] : undefined;
          const grant = "grant" in op ? grants[op.grant % grants.length] : undefined;
          if ("hold" in op && !hold) continue;
          switch (op.kind) {
            case "hold": {
              const expected = balance - held() >= op.cents;
              let id = "";
              const got = await outcome(
                runInCustomerBatch(c, {
                  idempotencyKeys: [],
                  holdKeys: [`h${n}`],
                  apply: (w) => {
                    id = w.createHold({ reference: `h${n}`, requestHash: "x", legs: [leg(op.cents)], expiresAt: new Date(Date.now() + 600_000) }).hold.id;
                  },
                }),
              );
              expect(got).toBe(expected ? "ok" : "insufficient");
              if (expected) holds.push({ id, amount: op.cents, captured: 0, status: "held" });
              break;
            }
            case "charge":
            case "chargeFromHold": {
              const target = op.kind === "chargeFromHold" ? hold : undefined;
              const expected = modelCharge(op.cents, target);
              const got = await outcome(
                runInCustomerBatch(c, {
                  idempotencyKeys: [`c${n}`],
                  holdKeys: target ? [target.id] : [],
                  apply: (w) => w.charge({ idempotencyKey: `c${n}`, legs: [leg(op.cents)], ...(target ? { holdId: target.id } : {}) }),
                }),
              );
              expect(got).toBe(expected ? "ok" : "insufficient");
              break;
            }
            case "capture": {
              const h = hold!;
              const open = h.status === "held";
              // A capture: its charge (which may be refused on its own) and the close, in one batch.
              const got = await outcome(
                runInCustomerBatch(c, {
                  idempotencyKeys: [`c${n}`],
                  holdKeys: [h.id],
                  apply: (w) => {
                    w.assertHoldOpen(h.id);
                    try {
                      w.charge({ idempotencyKey: `c${n}`, legs: [leg(op.cents)], holdId: h.id });
                    } catch (error) {
                      if (!(error instanceof InsufficientFundsError)) throw error;
                    }
                    w.closeHold(h.id, "captured");
                  },
                }),
              );
              expect(got).toBe(open ? "ok" : "conflict");
              if (open) {
                modelCharge(op.cents, h);
                h.status = "captured";
              }
              break;
            }
            case "release":
            case "extend": {
              const h = hold!;
              const open = h.status === "held";
              const got = await outcome(
                runInCustomerBatch(c, {
                  idempotencyKeys: [],
                  holdKeys: [h.id],
                  apply: (w) => (op.kind === "release" ? w.closeHold(h.id, "released") : w.extendHold(h.id, new Date(Date.now() + 900_000))),
                }),
              );
              expect(got).toBe(open ? "ok" : "conflict");
              if (open && op.kind === "release") h.status = "released";
              break;
            }
            case "expire": {
              const h = hold!;
              await pool().query("UPDATE holds SET expires_at = now() - interval '1 millisecond' WHERE id = $1 AND status = 'held'", [h.id]);
              // Reads already treat it as released; then any batch releases it for good.
              if (h.status === "held") h.status = "expired";
              if (n % 2 === 0) await runInCustomerBatch(c, { idempotencyKeys: [], apply: () => undefined });
              break;
            }
            case "credit": {
              const expiresAt = future + n * 1000;
              const r = await credit(c, { idempotencyKey: `cr${n}`, ...leg(op.cents), purpose: "paid", expiresAt: new Date(expiresAt) });
              balance += op.cents;
              grants.push({ id: r.grant_id!, remaining: op.cents, expiresAt });
              break;
            }
            case "expireGrant": {
              const g = grant!;
              if (due(g)) break;
              // Its expiry moved into the past (distinct, in the order of the steps); the next batch expires it.
              g.expiresAt = past + n;
              await pool().query("UPDATE credit_grants SET expires_at = $2 WHERE id = $1", [g.id, new Date(g.expiresAt)]);
              if (n % 2 === 0) await runInCustomerBatch(c, { idempotencyKeys: [], apply: () => undefined });
              break;
            }
          }
          // Every batch (the read below runs one while a grant is due) expires due grants but what open holds need.
          settleGrants();

          const account = (await readWallet(c)).find((a) => a.asset === "USD");
          expect(account?.available.mul(100).toNumber() ?? 0).toBe(balance - held());
          expect(account?.pendingOut.mul(100).toNumber() ?? 0).toBe(held());
          const { rows } = await pool().query<{ id: string; status: string; expires_at: Date; amounts: { captured: string }[] }>(
            "SELECT id, status, expires_at, amounts FROM holds WHERE customer_id = $1",
            [c],
          );
          for (const h of holds) {
            const row = rows.find((r) => r.id === h.id)!;
            const status = row.status === "held" && row.expires_at.getTime() <= Date.now() ? "expired" : row.status;
            expect(status).toBe(h.status);
            expect(new Dec(row.amounts[0]!.captured).mul(100).toNumber()).toBe(h.captured);
          }
          const { rows: storedGrants } = await pool().query<{ id: string; remaining: string }>("SELECT id, remaining FROM credit_grants WHERE customer_id = $1", [c]);
          for (const g of grants) expect([g.id, new Dec(storedGrants.find((r) => r.id === g.id)!.remaining).mul(100).toNumber()]).toEqual([g.id, g.remaining]);
          expect(await verifyLedger(c)).toEqual([]);
        }
        // The expiry job's work, then nothing open past its expiry is left and every expired hold raised hold_expired once.
        await runInCustomerBatch(c, { idempotencyKeys: [], apply: () => undefined });
        const expired = holds.filter((h) => h.status === "expired").length;
        expect(expiredEvents.get(c) ?? 0).toBe(expired);
      }),
      { numRuns: 25 },
    );
  }, 240_000);
});
