import { describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { ConflictError, InsufficientFundsError, ValidationError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { Dec } from "@/lib/money";
import { charge, credit, expireDueGrants, readWallet, reverse, updateAccountSettings, verifyLedger } from "./index";
// Like every process that runs ledger batches: webhooks for what they cause (batch-listeners.ts).
import "@/lib/webhooks/ledger-outbox";

const usd = (amount: string | number) => ({ accountName: "default", asset: "USD", amount: new Dec(String(amount)) });
const fresh = () => newId("cust");

async function balance(customerId: string, asset = "USD") {
  const account = (await readWallet(customerId)).find((a) => a.asset === asset);
  return account?.available.toFixed() ?? "none";
}

async function count(table: string, customerId: string) {
  const { rows } = await pool().query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE customer_id = $1`, [customerId]);
  return Number(rows[0]!.n);
}

describe("ledger against PostgreSQL", () => {
  it("credits, charges across grants in drawdown order and keeps the invariants", async () => {
    const c = fresh();
    await credit(c, { idempotencyKey: "paid", ...usd(10), purpose: "paid" });
    await credit(c, { idempotencyKey: "promo", ...usd(5), purpose: "promotion", expiresAt: new Date(Date.now() + 3600_000) });
    const r = await charge(c, { idempotencyKey: "ch1", legs: [usd("7.25")] });
    expect(r.legs).toEqual([{ account_id: "default:USD", asset: "USD", amount: "-7.25", balance_after: "7.75" }]);
    const { rows } = await pool().query<{ purpose: string; remaining: string }>(
      "SELECT purpose, remaining FROM credit_grants WHERE customer_id = $1 ORDER BY purpose",
      [c],
    );
    expect(rows).toEqual([
      { purpose: "paid", remaining: "7.750000000000" },
      { purpose: "promotion", remaining: "0.000000000000" },
    ]);
    expect(await balance(c)).toBe("7.75");
    expect(await verifyLedger(c)).toEqual([]);
  });

  it("refuses a charge past the overdraft limit and writes nothing; a raised limit allows debt; credits pay debt first", async () => {
    const c = fresh();
    await credit(c, { idempotencyKey: "c1", ...usd(5), purpose: "paid" });
    const before = await count("ledger_entries", c);
    await expect(charge(c, { idempotencyKey: "too-much", legs: [usd("5.01")] })).rejects.toBeInstanceOf(InsufficientFundsError);
    expect(await count("ledger_entries", c)).toBe(before);
    expect(await count("ledger_transactions", c)).toBe(1);

    await updateAccountSettings(c, "default", "USD", { overdraftLimit: new Dec(10) });
    await charge(c, { idempotencyKey: "into-debt", legs: [usd(12)] });
    expect(await balance(c)).toBe("-7");
    await expect(charge(c, { idempotencyKey: "past-floor", legs: [usd("3.01")] })).rejects.toBeInstanceOf(InsufficientFundsError);
    // lowering the limit under the current debt is refused
    await expect(updateAccountSettings(c, "default", "USD", { overdraftLimit: new Dec(6) })).rejects.toBeInstanceOf(ValidationError);

    await credit(c, { idempotencyKey: "pays-debt", ...usd(10), purpose: "paid" });
    expect(await balance(c)).toBe("3");
    const { rows } = await pool().query<{ remaining: string }>(
      "SELECT remaining FROM credit_grants WHERE customer_id = $1 AND status = 'live' AND remaining > 0",
      [c],
    );
    expect(rows).toEqual([{ remaining: "3.000000000000" }]);
    expect(await verifyLedger(c)).toEqual([]);
  });

  it("replays an idempotency key without writing, and refuses the key with another request", async () => {
    const c = fresh();
    const first = await credit(c, { idempotencyKey: "k", ...usd(3), purpose: "paid" });
    const rowsBefore = [await count("ledger_transactions", c), await count("ledger_entries", c), await count("credit_grants", c)];
    const again = await credit(c, { idempotencyKey: "k", ...usd("3.000"), purpose: "paid" });
    expect(again.replayed).toBe(true);
    expect({ ...again, replayed: false }).toEqual(first);
    expect([await count("ledger_transactions", c), await count("ledger_entries", c), await count("credit_grants", c)]).toEqual(rowsBefore);
    await expect(credit(c, { idempotencyKey: "k", ...usd(4), purpose: "paid" })).rejects.toBeInstanceOf(ConflictError);
    expect(await balance(c)).toBe("3");
  });

  it("stores no key, hash or result for a caller-deduplicated charge, and refuses a second use of its key in the same batch", async () => {
    const c = fresh();
    await credit(c, { idempotencyKey: "fund", ...usd(5), purpose: "paid" });
    const first = await charge(c, { idempotencyKey: "event:e1", requestHash: null, legs: [usd(1)] });
    expect(first.legs[0]!.balance_after).toBe("4");
    const { rows } = await pool().query("SELECT idempotency_key, request_hash, result FROM ledger_transactions WHERE customer_id = $1 AND id = $2", [c, first.transaction_id]);
    expect(rows).toEqual([{ idempotency_key: null, request_hash: null, result: null }]);
    // Nothing of it is stored under the key: a keyed request may use it later, as new.
    const keyed = await charge(c, { idempotencyKey: "event:e1", legs: [usd(1)] });
    expect(keyed).toMatchObject({ replayed: false, legs: [{ balance_after: "3" }] });
    expect((await charge(c, { idempotencyKey: "event:e1", legs: [usd(1)] })).replayed).toBe(true);
    // Twice in one batch: the second is refused (the caller's key is written by the same flush).
    const twice = await Promise.allSettled([
      charge(c, { idempotencyKey: "event:e2", requestHash: null, legs: [usd(1)] }),
      charge(c, { idempotencyKey: "event:e2", requestHash: null, legs: [usd(1)] }),
    ]);
    expect(twice.map((t) => t.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(await balance(c)).toBe("2");
    expect(await verifyLedger(c)).toEqual([]);
  });

  it("expires a due grant's remainder with its own entry", async () => {
    const c = fresh();
    await credit(c, { idempotencyKey: "g", ...usd(8), purpose: "promotion", expiresAt: new Date(Date.now() + 3600_000) });
    await credit(c, { idempotencyKey: "p", ...usd(2), purpose: "paid" });
    await charge(c, { idempotencyKey: "x", legs: [usd(3)] });
    // time passes: the promotion's expiry is now behind us
    await pool().query("UPDATE credit_grants SET expires_at = now() - interval '1 second' WHERE customer_id = $1 AND purpose = 'promotion'", [c]);
    const expired = await expireDueGrants(c);
    expect(expired.map((e) => e.legs[0]!.amount)).toEqual(["-5"]);
    expect(await balance(c)).toBe("2");
    const { rows } = await pool().query<{ kind: string; amount: string }>(
      "SELECT kind, amount FROM ledger_entries WHERE customer_id = $1 AND kind = 'expire'",
      [c],
    );
    expect(rows).toEqual([{ kind: "expire", amount: "-5.000000000000" }]);
    // expiring again changes nothing
    expect(await expireDueGrants(c)).toEqual([]);
    expect(await verifyLedger(c)).toEqual([]);
  });

  it("reads expire due grants first, so a balance never includes expired credit", async () => {
    const c = fresh();
    await credit(c, { idempotencyKey: "g", ...usd(4), purpose: "paid", expiresAt: new Date(Date.now() + 3600_000) });
    await pool().query("UPDATE credit_grants SET expires_at = now() - interval '1 second' WHERE customer_id = $1", [c]);
    expect(await balance(c)).toBe("0");
  });

  it("reverses a partly spent credit: takes back what is left and records the rest as debt", async () => {
    const c = fresh();
    const topUp = await credit(c, { idempotencyKey: "topup", ...usd(20), purpose: "paid" });
    await charge(c, { idempotencyKey: "use", legs: [usd(15)] });
    const r = await reverse(c, { idempotencyKey: "refund", transactionId: topUp.transaction_id });
    expect(r.legs[0]!.amount).toBe("-20");
    expect(await balance(c)).toBe("-15");
    expect(await verifyLedger(c)).toEqual([]);
    await expect(reverse(c, { idempotencyKey: "refund-again", transactionId: topUp.transaction_id })).rejects.toBeInstanceOf(ConflictError);
    // a later credit pays the debt
    await credit(c, { idempotencyKey: "more", ...usd(25), purpose: "paid" });
    expect(await balance(c)).toBe("10");
    expect(await verifyLedger(c)).toEqual([]);
  });

  it("reverses a charge back into the grants it drew from", async () => {
    const c = fresh();
    await credit(c, { idempotencyKey: "a", ...usd(5), purpose: "promotion" });
    await credit(c, { idempotencyKey: "b", ...usd(5), purpose: "paid" });
    const ch = await charge(c, { idempotencyKey: "ch", legs: [usd(7)] });
    await reverse(c, { idempotencyKey: "r1", transactionId: ch.transaction_id, amount: new Dec(1) });
    expect(await balance(c)).toBe("4");
    await reverse(c, { idempotencyKey: "r2", transactionId: ch.transaction_id });
    expect(await balance(c)).toBe("10");
    await expect(reverse(c, { idempotencyKey: "r3", transactionId: ch.transaction_id, amount: new Dec(1) })).rejects.toBeInstanceOf(ValidationError);
    expect(await verifyLedger(c)).toEqual([]);
  });

  it("stores exact decimals to 12 places", async () => {
    const c = fresh();
    await credit(c, { idempotencyKey: "a", ...usd("0.000000000003"), purpose: "paid" });
    await charge(c, { idempotencyKey: "b", legs: [usd("0.000000000001")] });
    expect(await balance(c)).toBe("0.000000000002");
    // The largest balance (lib/money/limits.ts) with all 12 places: exact too.
    await credit(c, { idempotencyKey: "big", ...usd("999999999999999.123456789012"), purpose: "paid" });
    expect(await balance(c)).toBe("999999999999999.123456789014");
    // Past it, the ledger itself refuses: nothing written, no overflow in the flush.
    await expect(credit(c, { idempotencyKey: "over", ...usd("1"), purpose: "paid" })).rejects.toMatchObject({ code: "balance_limit_exceeded" });
    await expect(credit(c, { idempotencyKey: "huge", ...usd("99999999999999999999999999"), purpose: "paid" })).rejects.toMatchObject({ code: "amount_too_large" });
    expect(await balance(c)).toBe("999999999999999.123456789014");
    expect(await verifyLedger(c)).toEqual([]);
  });

  it("charges several accounts atomically: one refused leg refuses the whole charge", async () => {
    const c = fresh();
    await credit(c, { idempotencyKey: "usd", ...usd(5), purpose: "paid" });
    await credit(c, { idempotencyKey: "tok", accountName: "default", asset: "TOK", amount: new Dec(100), purpose: "paid" });
    await expect(
      charge(c, { idempotencyKey: "both", legs: [usd(1), { accountName: "default", asset: "TOK", amount: new Dec(101) }] }),
    ).rejects.toBeInstanceOf(InsufficientFundsError);
    expect(await balance(c)).toBe("5");
    expect(await balance(c, "TOK")).toBe("100");
    await charge(c, { idempotencyKey: "both2", legs: [usd(1), { accountName: "default", asset: "TOK", amount: new Dec(100) }] });
    expect([await balance(c), await balance(c, "TOK")]).toEqual(["4", "0"]);
  });
});
