import { describe, expect, it, vi } from "vitest";

// Before lib/env reads the environment (on first use, in this file's own module graph).
vi.hoisted(() => {
  process.env.LEDGER_LOCK_TIMEOUT_MS = "300";
});

import { customerLockKeySql } from "@/lib/advisory-locks";
import { pool } from "@/lib/db";
import { BusyError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { Dec } from "@/lib/money";
import { charge, credit, readWallet } from "./index";
import "@/lib/webhooks/ledger-outbox";

const usd = (amount: number) => ({ accountName: "default", asset: "USD", amount: new Dec(amount) });
const available = async (customerId: string) => (await readWallet(customerId)).find((a) => a.asset === "USD")?.available.toFixed();

describe("a customer's lock held by another process past LEDGER_LOCK_TIMEOUT_MS", () => {
  it("answers busy for that customer, writes nothing for it, and commits the others of its tick", async () => {
    const [held, free] = [newId("cust"), newId("cust")];
    await Promise.all([credit(held, { idempotencyKey: "fund", ...usd(5), purpose: "paid" }), credit(free, { idempotencyKey: "fund", ...usd(5), purpose: "paid" })]);
    // Another process's batch of `held`, stuck after taking its lock.
    const other = await pool().connect();
    await other.query("BEGIN");
    await other.query(`SELECT pg_advisory_xact_lock(${customerLockKeySql("$1::text")})`, [held]);
    let outcomes: PromiseSettledResult<unknown>[];
    try {
      outcomes = await Promise.allSettled([
        charge(held, { idempotencyKey: "c", legs: [usd(1)] }),
        charge(free, { idempotencyKey: "c", legs: [usd(1)] }),
      ]);
    } finally {
      await other.query("ROLLBACK");
      other.release();
    }
    expect(outcomes.map((o) => o.status)).toEqual(["rejected", "fulfilled"]);
    expect((outcomes[0] as PromiseRejectedResult).reason).toBeInstanceOf(BusyError);
    expect(await available(held)).toBe("5");
    expect(await available(free)).toBe("4");
    // Once the lock is free, the same request goes through.
    await charge(held, { idempotencyKey: "c", legs: [usd(1)] });
    expect(await available(held)).toBe("4");
  });
});
