import { describe, expect, it, vi } from "vitest";

// Before lib/env reads the environment (on first use, in this file's own module graph).
vi.hoisted(() => {
  process.env.LEDGER_GROUP_CUSTOMERS = "1";
});

import { pool } from "@/lib/db";
import { newId } from "@/lib/ids";
import { Dec } from "@/lib/money";
import { credit } from "./index";
import "@/lib/webhooks/ledger-outbox";

describe("LEDGER_GROUP_CUSTOMERS=1 (a distributed PostgreSQL: one shard per transaction)", () => {
  it("gives every customer's batch a transaction of its own", async () => {
    const customers = Array.from({ length: 5 }, () => newId("cust"));
    await Promise.all(customers.map((c) => credit(c, { idempotencyKey: "fund", accountName: "default", asset: "USD", amount: new Dec(1), purpose: "paid" })));
    const { rows } = await pool().query<{ n: string }>(
      "SELECT count(DISTINCT xmin::text) AS n FROM ledger_transactions WHERE customer_id = ANY($1::text[])",
      [customers],
    );
    expect(Number(rows[0]!.n)).toBe(5);
  });
});
