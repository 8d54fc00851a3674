import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { InsufficientFundsError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { Dec } from "@/lib/money";
import { charge, credit, readWallet, registerBatchListener, verifyLedger } from "./index";
// Like every process that runs ledger batches: webhooks for what they cause (batch-listeners.ts).
import "@/lib/webhooks/ledger-outbox";

const run = promisify(execFile);
const usd = (amount: string | number) => ({ accountName: "default", asset: "USD", amount: new Dec(String(amount)) });

async function balance(customerId: string) {
  return (await readWallet(customerId)).find((a) => a.asset === "USD")?.available.toFixed();
}

describe("ledger under concurrency", () => {
  it("in-process batching: 100 concurrent charges of 1 on 50 in one process run as one batch that bills exactly 50 and refuses 50", async () => {
    const c = newId("cust");
    await credit(c, { idempotencyKey: "fund", ...usd(50), purpose: "paid" });
    let batches = 0;
    registerBatchListener("test-batch-counter", {
      async onFlush(_client, flushed) {
        if (flushed.some((b) => b.customerId === c)) batches++;
      },
    });
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) => charge(c, { idempotencyKey: `c${i}`, legs: [usd(1)] })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(50);
    const refused = results.filter((r) => r.status === "rejected");
    expect(refused).toHaveLength(50);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(InsufficientFundsError);
    expect(batches).toBe(1);
    expect(await balance(c)).toBe("0");
    expect(await verifyLedger(c)).toEqual([]);
  });

  it("across processes: three processes, each batching on its own, racing in PostgreSQL bill exactly what there is (the per-customer lock)", async () => {
    const c = newId("cust");
    await credit(c, { idempotencyKey: "fund", ...usd(50), purpose: "paid" });
    const worker = path.join(import.meta.dirname, "testing/charge-worker.ts");
    const tsx = path.join(process.cwd(), "node_modules/.bin/tsx");
    // All three start charging at the same moment, once the workers are surely up.
    const startAt = Date.now() + 4_000;
    const spawnWorker = (prefix: string) =>
      run(tsx, [worker, c, "40", "1", prefix, String(startAt)], { env: { ...process.env }, timeout: 120_000 }).then((o) => JSON.parse(o.stdout));
    const local = new Promise((resolve) => setTimeout(resolve, startAt - Date.now())).then(() =>
      Promise.allSettled(Array.from({ length: 40 }, (_, i) => charge(c, { idempotencyKey: `local-${i}`, legs: [usd(1)] }))),
    );
    const [a, b, mine] = await Promise.all([spawnWorker("w1"), spawnWorker("w2"), local]);
    const localBilled = mine.filter((r) => r.status === "fulfilled").length;
    const localRefused = mine.filter((r) => r.status === "rejected" && r.reason instanceof InsufficientFundsError).length;
    expect(a.failed + b.failed).toBe(0);
    expect(localBilled + localRefused).toBe(40);
    expect(a.billed + b.billed + localBilled).toBe(50);
    expect(a.refused + b.refused + localRefused).toBe(70);
    expect(await balance(c)).toBe("0");
    expect(await verifyLedger(c)).toEqual([]);
  });

  it("50 parallel replays of one idempotency key apply once", async () => {
    const c = newId("cust");
    await credit(c, { idempotencyKey: "fund", ...usd(100), purpose: "paid" });
    const results = await Promise.all(Array.from({ length: 50 }, () => charge(c, { idempotencyKey: "once", legs: [usd(3)] })));
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(new Set(results.map((r) => r.transaction_id)).size).toBe(1);
    expect(await balance(c)).toBe("97");
    const { rows } = await pool().query("SELECT 1 FROM ledger_transactions WHERE customer_id = $1 AND idempotency_key = 'once'", [c]);
    expect(rows).toHaveLength(1);
  });

  it("parallel credits and charges on many accounts keep every invariant (random workloads)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            customer: fc.integer({ min: 0, max: 4 }),
            op: fc.constantFrom("credit", "charge", "charge"),
            cents: fc.integer({ min: 1, max: 5_000 }),
            purpose: fc.constantFrom("promotion" as const, "bundled" as const, "paid" as const),
            asset: fc.constantFrom("USD", "TOK"),
          }),
          { minLength: 1, maxLength: 120 },
        ),
        async (ops) => {
          const customers = Array.from({ length: 5 }, () => newId("cust"));
          const expected = new Map<string, Dec>();
          const results = await Promise.allSettled(
            ops.map((o, i) => {
              const c = customers[o.customer]!;
              const leg = { accountName: "default", asset: o.asset, amount: new Dec(o.cents).div(100) };
              return o.op === "credit"
                ? credit(c, { idempotencyKey: `k${i}`, ...leg, purpose: o.purpose })
                : charge(c, { idempotencyKey: `k${i}`, legs: [leg] });
            }),
          );
          results.forEach((r, i) => {
            const o = ops[i]!;
            if (r.status === "rejected") {
              expect(r.reason).toBeInstanceOf(InsufficientFundsError);
              return;
            }
            const key = `${customers[o.customer]}/${o.asset}`;
            const delta = new Dec(o.cents).div(100).mul(o.op === "credit" ? 1 : -1);
            expected.set(key, (expected.get(key) ?? new Dec(0)).plus(delta));
          });
          for (const c of customers) {
            expect(await verifyLedger(c)).toEqual([]);
            for (const a of await readWallet(c)) {
              expect(a.available.toFixed()).toBe((expected.get(`${c}/${a.asset}`) ?? new Dec(0)).toFixed());
              expect(a.available.gte(0)).toBe(true);
            }
          }
        },
      ),
      { numRuns: 15 },
    );
  });
});
