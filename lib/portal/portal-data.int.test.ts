import { afterAll, describe, expect, it, vi } from "vitest";
import { holdTopUpForReview, resolveTopUpReview } from "@/lib/top-ups";
import { createAsset } from "@/lib/catalog/create-asset";
import { createHold } from "@/lib/holds/create-hold";
import { closeDb, pool } from "@/lib/db";
import { charge, credit, reverse } from "@/lib/ledger";
import { Dec } from "@/lib/money";
import { createTestCustomer, createTestPlatform } from "@/test/factories";
import { getPortalOverview, lowBalance } from "./portal-overview";
import { getPortalTopUpResult, listTopUpOptions, quotePortalTopUp } from "./portal-top-up";

afterAll(closeDb);

async function customer() {
  const p = await createTestPlatform();
  const c = await createTestCustomer(p.platformId);
  return { tenant: { platformId: p.platformId, liveMode: false }, customerId: c.customerId };
}

describe("portal overview", () => {
  it("shows balances, this month's spend and 30 daily buckets; reversed charges are not spend", async () => {
    const { tenant, customerId } = await customer();
    await credit(customerId, { idempotencyKey: "c1", accountName: "default", asset: "USD", amount: new Dec(10), purpose: "paid" });
    await charge(customerId, { idempotencyKey: "ch1", legs: [{ accountName: "default", asset: "USD", amount: new Dec("1.255") }] });
    const second = await charge(customerId, { idempotencyKey: "ch2", legs: [{ accountName: "default", asset: "USD", amount: new Dec(2) }] });
    await reverse(customerId, { idempotencyKey: "r1", transactionId: second.transaction_id, amount: new Dec("0.5") });

    const overview = await getPortalOverview(tenant, customerId);
    expect(overview.accounts).toEqual([
      {
        id: "default:USD",
        name: "default",
        asset: { code: "USD", name: "US Dollar", symbol: "$", precision: 2, is_fiat: true },
        available: "7.245",
        pending_in: "0",
        reserved: "0",
        low_balance: false,
      },
    ]);
    const [usd] = overview.spend;
    expect(usd!.this_month).toBe("2.755");
    expect(usd!.daily).toHaveLength(30);
    expect(usd!.daily.at(-1)).toEqual({ date: new Date().toISOString().slice(0, 10), amount: "2.755" });
    expect(usd!.daily.slice(0, -1).every((d) => d.amount === "0")).toBe(true);
  });

  it("shows what open holds reserve as reserved, taken out of the available balance", async () => {
    const { tenant, customerId } = await customer();
    await credit(customerId, { idempotencyKey: "c1", accountName: "default", asset: "USD", amount: new Dec(10), purpose: "paid" });
    await createHold(tenant, customerId, { id: "render-1", accountName: "default", amount: new Dec("3.5"), asset: "USD" });
    const [usd] = (await getPortalOverview(tenant, customerId)).accounts;
    expect(usd).toMatchObject({ id: "default:USD", available: "6.5", reserved: "3.5" });
  });

  it("puts days in UTC buckets and the month boundary at 00:00 UTC", async () => {
    const { tenant, customerId } = await customer();
    await credit(customerId, { idempotencyKey: "c1", accountName: "default", asset: "USD", amount: new Dec(10), purpose: "paid" });
    await charge(customerId, { idempotencyKey: "ch1", legs: [{ accountName: "default", asset: "USD", amount: new Dec(1) }] });
    await pool().query(`UPDATE ledger_entries SET created_at = '2026-03-31T23:30:00Z' WHERE customer_id = $1 AND kind = 'charge'`, [customerId]);
    const overview = await getPortalOverview(tenant, customerId, new Date("2026-04-02T08:00:00Z"));
    const [usd] = overview.spend;
    expect(usd!.this_month).toBe("0");
    expect(usd!.daily.find((d) => d.date === "2026-03-31")?.amount).toBe("1");
    expect(usd!.daily.at(-1)?.date).toBe("2026-04-02");
  });

  it("flags low balances by threshold, by emptiness, or by a week of recent spend", async () => {
    expect(lowBalance(new Dec(0), new Dec(0))).toBe(true);
    expect(lowBalance(new Dec(5), new Dec(0))).toBe(false);
    // $30 over 30 days = $1 a day: under $7 is low.
    expect(lowBalance(new Dec("6.99"), new Dec(30))).toBe(true);
    expect(lowBalance(new Dec(7), new Dec(30))).toBe(false);
    expect(lowBalance(new Dec(50), new Dec(0), new Dec(100))).toBe(true);
    expect(lowBalance(new Dec(0), new Dec(0), new Dec(0))).toBe(false);
  });
});

describe("portal top-ups", () => {
  it("offers the customer's accounts and the platform's assets, and quotes the credit", async () => {
    const { tenant, customerId } = await customer();
    await createAsset(tenant, { code: "CREDIT", name: "Credits", precision: 0, symbol: "⚡", rates: [{ source: "USD", rate: new Dec("0.05") }] });
    await createAsset(tenant, { code: "NORATE", name: "No rate", precision: 0 });
    const options = await listTopUpOptions(tenant, customerId);
    expect(options.map((o) => [o.account_id, o.currency.code, o.presets])).toEqual([
      ["default:CREDIT", "USD", ["10", "20", "50", "100"]],
      ["default:USD", "USD", ["10", "20", "50", "100"]],
    ]);
    const quote = await quotePortalTopUp(tenant, "default:CREDIT", new Dec(20));
    expect(quote).toMatchObject({ amount: "20", credit_amount: "400", currency: { code: "USD" }, asset: { code: "CREDIT", symbol: "⚡" } });
    await expect(quotePortalTopUp(tenant, "default:NORATE", new Dec(20))).rejects.toThrow(/no account/);
  });

  it("answers 404 for another customer's top-up", async () => {
    const { tenant, customerId } = await customer();
    const other = await createTestCustomer(tenant.platformId);
    await pool().query(
      `INSERT INTO top_ups (id, customer_id, platform_id, live_mode, status, amount, currency, account_name, asset, exchange_rate, credit_amount, expires_at)
       VALUES ('top_portaltest1', $1, $2, false, 'initiated', 20, 'USD', 'default', 'USD', 1, 20, now() + interval '1 hour')`,
      [other.customerId, tenant.platformId],
    );
    await expect(getPortalTopUpResult(tenant, customerId, "top_portaltest1")).rejects.toThrow(/no top-up/);
    const own = await getPortalTopUpResult(tenant, other.customerId, "top_portaltest1");
    expect(own.top_up).toMatchObject({ status: "initiated", amount: "20", credit_amount: "20", account_id: "default:USD", under_review: false });
  });

  it("says a paid top-up held for review is under review, until an operator resolves it", async () => {
    const { tenant, customerId } = await customer();
    await pool().query(
      `INSERT INTO top_ups (id, customer_id, platform_id, live_mode, status, amount, currency, account_name, asset, exchange_rate, credit_amount, expires_at)
       VALUES ('top_portalreview1', $1, $2, false, 'initiated', 20, 'USD', 'default', 'USD', 1, 20, now() + interval '1 hour')`,
      [customerId, tenant.platformId],
    );
    // Held and rejected as the Stripe webhook and the operator command do it.
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      await holdTopUpForReview({ id: "top_portalreview1", customerId }, { reason: "amount_mismatch", detail: "paid 1 EUR" }, { event: null });
      expect(logged.mock.calls.some((c) => String(c[0]).includes("top-up top_portalreview1 held (amount_mismatch)"))).toBe(true);
    } finally {
      logged.mockRestore();
    }
    expect((await getPortalTopUpResult(tenant, customerId, "top_portalreview1")).top_up).toMatchObject({ status: "initiated", under_review: true });
    await resolveTopUpReview("top_portalreview1", "reject");
    expect((await getPortalTopUpResult(tenant, customerId, "top_portalreview1")).top_up).toMatchObject({ status: "failed", under_review: false });
  });
});
