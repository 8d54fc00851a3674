import { describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { newId } from "@/lib/ids";
import { Dec } from "@/lib/money";
import type { FlushedBatch } from "./ledger-events";
import { charge, credit, registerBatchListener } from "./index";

/**
 * The ledger's batch listeners (batch-listeners.ts), on their own: this file imports no
 * listener module, so it sees the ledger before and after one registers. What lib/webhooks
 * relies on for its outbox: a listener writes in the batch's transaction, after the
 * ledger's rows, and its failure rolls the batch back.
 */

const usd = (amount: number) => ({ accountName: "default", asset: "USD", amount: new Dec(amount) });

async function ledgerRows(customerId: string): Promise<number> {
  const { rows } = await pool().query<{ n: number }>("SELECT count(*)::int AS n FROM ledger_transactions WHERE customer_id = $1", [customerId]);
  return rows[0]!.n;
}

describe("batch listeners", () => {
  it("without one, a batch refuses to run and writes nothing", async () => {
    const c = newId("cust");
    await expect(credit(c, { idempotencyKey: "k", ...usd(5), purpose: "paid" })).rejects.toThrow(/no batch listener registered/);
    expect(await ledgerRows(c)).toBe(0);
  });

  it("a listener sees the batch's events inside its transaction, after the ledger's rows, then after COMMIT", async () => {
    const c = newId("cust");
    const seen: { phase: string; batch: FlushedBatch; balanceInTx?: string; visibleOutside?: number }[] = [];
    registerBatchListener("test-recorder", {
      async onFlush(client, batches) {
        const batch = batches.find((b) => b.customerId === c);
        if (!batch) return;
        const { rows } = await client.query<{ balance: string }>("SELECT balance::text FROM accounts WHERE customer_id = $1", [c]);
        seen.push({ phase: "flush", batch, balanceInTx: rows[0]?.balance, visibleOutside: await ledgerRows(c) });
      },
      afterCommit(batch) {
        if (batch.customerId === c) seen.push({ phase: "commit", batch });
      },
    });
    await credit(c, { idempotencyKey: "fund", ...usd(10), purpose: "promotion", expiresAt: new Date(Date.now() + 150) });
    await new Promise((r) => setTimeout(r, 200));
    await charge(c, { idempotencyKey: "c", legs: [usd(1)] }).catch(() => undefined);

    expect(seen.map((s) => s.phase)).toEqual(["flush", "commit", "flush", "commit"]);
    // The ledger's rows are written (seen through the batch's client) and not yet committed.
    expect(seen[0]).toMatchObject({ balanceInTx: "10.000000000000", visibleOutside: 0 });
    expect(seen[0]!.batch.events).toEqual([]);
    // The second batch expired the grant first, then refused the charge: one event.
    expect(seen[2]!.batch.events).toMatchObject([{ type: "grant_expired", customerId: c, accountId: "default:USD" }]);
    expect(seen[3]!.batch).toBe(seen[2]!.batch);
  });

  it("a listener's failure rolls the whole batch back", async () => {
    const c = newId("cust");
    registerBatchListener("test-failing", {
      async onFlush(_client, batches) {
        if (batches.some((b) => b.customerId === c)) throw new Error("outbox down");
      },
    });
    await expect(credit(c, { idempotencyKey: "k", ...usd(5), purpose: "paid" })).rejects.toThrow("outbox down");
    expect(await ledgerRows(c)).toBe(0);
  });
});
