import { describe, expect, it } from "vitest";
import { Dec, ZERO } from "@/lib/money";
import type { AccountState } from "./types";
import { WalletTx } from "./wallet-tx";

/**
 * The events a batch's WalletTx collects for its listeners (ledger-events.ts; lib/webhooks
 * turns them into outbox rows): the low-balance rule is on the batch's net movement, and
 * expiries carry their remainder.
 */

const now = new Date("2026-01-01T00:00:00Z");

function account(balance: number, threshold: number | null): AccountState {
  return {
    id: "acct_1",
    name: "default",
    asset: "USD",
    balance: new Dec(balance),
    overdraftLimit: new Dec(100),
    ownOverdraftLimit: new Dec(100),
    lowBalanceThreshold: threshold === null ? null : new Dec(threshold),
    createdAt: now,
    isNew: false,
    dirty: false,
  };
}

function batch(start: AccountState, run: (w: WalletTx) => void): WalletTx {
  const w = new WalletTx("cust_1", now, [start], [], new Map(), new Map());
  run(w);
  w.emitLowBalanceCrossings();
  return w;
}

const charge = (w: WalletTx, key: string, amount: number) =>
  w.charge({ idempotencyKey: key, legs: [{ accountName: "default", asset: "USD", amount: new Dec(amount) }] });
const credit = (w: WalletTx, key: string, amount: number) =>
  w.credit({ idempotencyKey: key, accountName: "default", asset: "USD", amount: new Dec(amount), purpose: "paid" });

describe("balance_low", () => {
  it.each([
    ["from above to below", 10, 5, [{ op: "charge", amount: 6 }], [4]],
    ["from exactly the threshold to below", 5, 5, [{ op: "charge", amount: 1 }], [4]],
    ["down to exactly the threshold", 10, 5, [{ op: "charge", amount: 5 }], []],
    ["already below", 4, 5, [{ op: "charge", amount: 1 }], []],
    ["below and back up within the batch", 10, 5, [{ op: "charge", amount: 8 }, { op: "credit", amount: 8 }], []],
    ["with a threshold of 0, into overdraft", 1, 0, [{ op: "charge", amount: 3 }], [-2]],
    ["without a threshold", 10, null, [{ op: "charge", amount: 9 }], []],
  ] as const)("%s", (_, opening, threshold, steps, expected) => {
    const w = batch(account(opening, threshold), (w) =>
      steps.forEach((s, i) => (s.op === "charge" ? charge(w, `c${i}`, s.amount) : credit(w, `k${i}`, s.amount))),
    );
    const lows = w.events.filter((e) => e.type === "balance_low");
    expect(lows.map((e) => e.balance.toNumber())).toEqual(expected);
    for (const e of lows) {
      expect(e).toMatchObject({ customerId: "cust_1", accountId: "default:USD", asset: "USD" });
      expect(e.threshold.toNumber()).toBe(threshold);
    }
  });

  it("a refused charge emits nothing", () => {
    const w = batch(account(10, 5), (w) => expect(() => charge(w, "c", 500)).toThrow());
    expect(w.events).toEqual([]);
  });
});

describe("grant_expired", () => {
  it("one event per expired grant, with what was left of it", () => {
    const start = account(7, null);
    const grant = {
      id: "grant_1",
      accountId: start.id,
      purpose: "promotion" as const,
      amount: new Dec(10),
      remaining: new Dec(7),
      effectiveAt: now,
      expiresAt: new Date(now.getTime() - 1),
      createdAt: now,
      status: "live" as const,
      transactionId: "ltx_0",
      isNew: false,
      dirty: false,
    };
    const w = new WalletTx("cust_1", now, [start], [grant], new Map(), new Map());
    w.expireDueGrants();
    expect(w.events).toEqual([
      {
        type: "grant_expired",
        customerId: "cust_1",
        accountId: "default:USD",
        asset: "USD",
        grantId: "grant_1",
        purpose: "promotion",
        amount: new Dec(10),
        expiredAmount: new Dec(7),
        expiresAt: grant.expiresAt,
        transactionId: w.transactions[0]!.id,
      },
    ]);
    expect(w.account("default", "USD")!.balance).toEqual(ZERO);
  });
});
