import { describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { newId } from "@/lib/ids";
import { Dec } from "@/lib/money";
import { createTestCustomer, createTestPlatform } from "@/test/factories";
import { charge, credit, readWallet, runInCustomerBatch, updateAccountSettings, verifyLedger, type BatchGroup } from "./index";
// Like every process that runs ledger batches: webhooks for what they cause (batch-listeners.ts).
import "@/lib/webhooks/ledger-outbox";

/**
 * Group commit (customer-batch.ts): the batches of customers ready in the same tick share
 * one transaction, and a shared transaction that fails is rerun customer by customer.
 * PostgreSQL's own `xmin` (the id of the transaction that wrote a row) tells which rows
 * were written together.
 */

const usd = (amount: string | number) => ({ accountName: "default", asset: "USD", amount: new Dec(String(amount)) });
const fresh = () => newId("cust");

async function writers(customers: string[]): Promise<number> {
  const { rows } = await pool().query<{ n: string }>(
    "SELECT count(DISTINCT xmin::text) AS n FROM ledger_transactions WHERE customer_id = ANY($1::text[])",
    [customers],
  );
  return Number(rows[0]!.n);
}

async function available(customerId: string): Promise<string> {
  return (await readWallet(customerId)).find((a) => a.asset === "USD")?.available.toFixed() ?? "none";
}

describe("group commit across customers", () => {
  it("commits the batches of customers queued in the same tick in one transaction, each exact", async () => {
    const customers = Array.from({ length: 6 }, fresh);
    await Promise.all(customers.map((c, i) => credit(c, { idempotencyKey: "fund", ...usd(10 + i), purpose: "paid" })));
    expect(await writers(customers)).toBe(1);

    const results = await Promise.all(customers.flatMap((c, i) => [charge(c, { idempotencyKey: "a", legs: [usd(i + 1)] }), charge(c, { idempotencyKey: "b", legs: [usd("0.5")] })]));
    // Each customer was funded 10 + i, then charged i + 1 and 0.5.
    expect(results.map((r) => r.legs[0]!.balance_after)).toEqual(customers.flatMap(() => ["9", "8.5"]));
    for (const c of customers) {
      expect(await available(c)).toBe("8.5");
      expect(await verifyLedger(c)).toEqual([]);
    }
    const { rows } = await pool().query<{ n: string }>(
      "SELECT count(DISTINCT xmin::text) AS n FROM ledger_transactions WHERE customer_id = ANY($1::text[]) AND idempotency_key IN ('a', 'b')",
      [customers],
    );
    expect(Number(rows[0]!.n)).toBe(1);
  });

  it("never answers one customer with another's stored idempotency key", async () => {
    const [a, b] = [fresh(), fresh()];
    await credit(b, { idempotencyKey: "same", ...usd(7), purpose: "paid" });
    // In one transaction: a's first use of "same", b's replay of it.
    const [first, replay] = await Promise.all([
      credit(a, { idempotencyKey: "same", ...usd(3), purpose: "paid" }),
      credit(b, { idempotencyKey: "same", ...usd(7), purpose: "paid" }),
    ]);
    expect(await writers([a, b])).toBe(2);
    expect(first.legs[0]!.balance_after).toBe("3");
    expect(replay.legs[0]!.balance_after).toBe("7");
    expect(await available(a)).toBe("3");
    expect(await available(b)).toBe("7");
  });

  it("reruns a failed shared transaction customer by customer: only the failing customer's jobs fail", async () => {
    const customers = Array.from({ length: 4 }, fresh);
    const failing = customers[2]!;
    await Promise.all(customers.map((c) => credit(c, { idempotencyKey: "fund", ...usd(5), purpose: "paid" })));
    // A group whose write fails in PostgreSQL for one customer only (division by zero).
    const probe: BatchGroup<null, null> = {
      preload: async () => null,
      async persist(client, customerId) {
        await client.query("SELECT 1 / $2::int WHERE $1::text IS NOT NULL", [customerId, customerId === failing ? 0 : 1]);
      },
    };
    const outcomes = await Promise.allSettled(
      customers.map((c) =>
        runInCustomerBatch(c, {
          idempotencyKeys: ["probe"],
          group: probe,
          groupInput: null,
          apply: (wallet) => wallet.charge({ idempotencyKey: "probe", legs: [usd(2)] }),
        }),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
    expect(String((outcomes[2] as PromiseRejectedResult).reason)).toMatch(/division by zero/);
    for (const c of customers) expect(await available(c)).toBe(c === failing ? "5" : "3");
    // The three that passed were rerun alone: a transaction each.
    const { rows } = await pool().query<{ n: string }>(
      "SELECT count(DISTINCT xmin::text) AS n FROM ledger_transactions WHERE customer_id = ANY($1::text[]) AND idempotency_key = 'probe'",
      [customers],
    );
    expect(Number(rows[0]!.n)).toBe(3);
  });

  it("records the webhooks of every customer of a shared transaction, each under its own platform and mode", async () => {
    const [p1, p2] = [await createTestPlatform("Group A"), await createTestPlatform("Group B")];
    const customers = [
      await createTestCustomer(p1.platformId),
      await createTestCustomer(p1.platformId, { liveMode: true }),
      await createTestCustomer(p2.platformId),
    ];
    for (const c of customers) {
      await credit(c.customerId, { idempotencyKey: "fund", ...usd(10), purpose: "paid" });
      await updateAccountSettings(c.customerId, "default", "USD", { lowBalanceThreshold: new Dec(5) });
    }
    // One tick: each crosses its threshold (a `wallet.balance_low` webhook each), in one transaction.
    await Promise.all(customers.map((c) => charge(c.customerId, { idempotencyKey: "cross", legs: [usd(6)] })));
    const ids = customers.map((c) => c.customerId);
    const { rows: tx } = await pool().query<{ n: string }>(
      "SELECT count(DISTINCT xmin::text) AS n FROM ledger_transactions WHERE customer_id = ANY($1::text[]) AND idempotency_key = 'cross'",
      [ids],
    );
    expect(Number(tx[0]!.n)).toBe(1);
    const { rows } = await pool().query<{ customer_id: string; platform_id: string; live_mode: boolean; type: string }>(
      "SELECT customer_id, platform_id, live_mode, type FROM webhook_events WHERE customer_id = ANY($1::text[]) AND type = 'wallet.balance_low'",
      [ids],
    );
    expect(rows.map((r) => [r.customer_id, r.platform_id, r.live_mode]).sort()).toEqual(
      customers.map((c) => [c.customerId, c.platformId, c.liveMode]).sort(),
    );
  });
});
