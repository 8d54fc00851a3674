import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { closeDb, pool, prisma } from "@/lib/db";
import { readWallet, verifyLedger } from "@/lib/ledger";
import { apiClient, startTestApiServer, type TestApiServer } from "@/test/api-server";
import { createTestCustomer, createTestPlatform, type TestPlatform } from "@/test/factories";
import { resolveTopUpReview } from "./resolve-top-up-review";
import { startStripeHarness, waitFor, type StripeHarness } from "./testing/stripe-harness";

/**
 * Top-ups and the money ceiling (lib/money/limits.ts): a payment or credit above the
 * largest amount, or a credit the balance cannot take, is a 422 before any Checkout
 * Session exists; a paid top-up whose credit no longer fits when the payment arrives is
 * held for review (`balance_limit`) and its webhook answers 200, instead of failing in
 * the ledger's write on every one of Stripe's retries.
 */
let harness: StripeHarness;
let server: TestApiServer;
let platform: TestPlatform;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  harness = await startStripeHarness();
  server = await startTestApiServer();
  platform = await createTestPlatform("Top-up limits");
  api = apiClient(server.url, platform.apiKey);
  expect((await api("POST", "/assets", { code: "CREDIT", name: "Credits", precision: 0 })).status).toBe(201);
  expect((await api("POST", "/assets", { code: "MICRO", name: "Micro", precision: 0, rates: [{ source: "USD", rate: "0.000000000001" }] })).status).toBe(201);
});
afterEach(async () => {
  vi.restoreAllMocks();
  harness.emulator.configureWebhooks({ autoDeliver: true });
  await harness.emulator.webhooksIdle();
});
afterAll(async () => {
  await harness?.close();
  await server?.close();
  await closeDb();
});

const topUpCount = async (customerId: string) => Number((await pool().query<{ n: string }>(`SELECT count(*) AS n FROM top_ups WHERE customer_id = $1`, [customerId])).rows[0]!.n);
const available = async (customerId: string) => (await readWallet(customerId)).find((a) => a.id === "default:USD")?.available.toFixed();

function fill(customerId: string, transactionId: string, amount: string) {
  return api("POST", `/customers/${customerId}/wallet/adjustments`, { transaction_id: transactionId, asset: "USD", amount, reason: "external_topup" });
}

describe("POST /top-ups", () => {
  it("a payment or credit above the largest amount is 422 amount_too_large; nothing is stored and no session opened", async () => {
    const { customerId } = await createTestCustomer(platform.platformId);
    const sessions = harness.emulator.events().length;
    const cases: [Record<string, unknown>, string][] = [
      [{ amount: 1e20, currency: "JPY" }, "amount"],
      // 10 USD at 10^20 units per dollar: 10^21 fits NUMERIC(38,12) but not the ceiling.
      [{ amount: 10, currency: "USD", destination: { asset: "CREDIT", exchange_rate: 1e20 } }, "amount"],
      // 10^27: used to overflow the top-up's own credit_amount column (a 500 after the session existed).
      [{ amount: 100, currency: "USD", destination: { asset: "CREDIT", exchange_rate: "99999999999999999999999999" } }, "amount"],
      // The stored rate: 10 USD at 10^-12 USD a unit is 10^13 units: fine; 10,000 USD is 10^16.
      [{ amount: 10000, currency: "USD", destination: { asset: "MICRO" } }, "amount"],
    ];
    for (const [body, field] of cases) {
      const res = await api("POST", "/top-ups", { customer_id: customerId, ...body });
      expect({ body, status: res.status, type: res.body.type }).toEqual({ body, status: 422, type: "https://drawdown.dev/problems/amount_too_large" });
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect(await topUpCount(customerId)).toBe(0);
    expect(harness.emulator.events().length).toBe(sessions);
    expect((await api("POST", "/top-ups", { customer_id: customerId, amount: 10, currency: "USD", destination: { asset: "MICRO" } })).status).toBe(201);
  });

  it("a credit the destination's balance cannot take is 422 balance_limit_exceeded", async () => {
    const { customerId } = await createTestCustomer(platform.platformId);
    expect((await fill(customerId, "fill", "999999999999990")).status).toBe(201);
    const refused = await api("POST", "/top-ups", { customer_id: customerId, amount: 20, currency: "USD" });
    expect(refused).toMatchObject({ status: 422, body: { type: "https://drawdown.dev/problems/balance_limit_exceeded", account_id: "default:USD" } });
    expect(await topUpCount(customerId)).toBe(0);
    expect((await api("POST", "/top-ups", { customer_id: customerId, amount: 10, currency: "USD" })).status).toBe(201);
  });
});

describe("a paid top-up into a full account", () => {
  it("is held for review (balance_limit) with a 200 to Stripe, credits nothing; an operator credits it once there is room", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const { customerId } = await createTestCustomer(platform.platformId);
    const created = await api("POST", "/top-ups", { customer_id: customerId, amount: 20, currency: "USD" });
    expect(created.status).toBe(201);
    const topUpId = created.body.id as string;
    // The account fills up while the customer is at Checkout.
    expect((await fill(customerId, "fill", "999999999999990")).status).toBe(201);

    const { checkoutSessionId } = await prisma().topUp.findUniqueOrThrow({ where: { id: topUpId } });
    harness.emulator.pay(checkoutSessionId!);
    const held = await waitFor(async () => {
      const { body } = await api("GET", `/top-ups/${topUpId}`);
      return body.review ? body : undefined;
    }, "the top-up to be held");
    expect(held).toMatchObject({ status: "initiated", grant_id: null, review: { reason: "balance_limit", detail: expect.stringContaining("1000000000000000") } });
    await harness.emulator.webhooksIdle();
    const completed = harness.emulator.events("checkout.session.completed").find((e) => e.data.object.id === checkoutSessionId)!;
    expect(harness.emulator.deliveries(completed.id).map((d) => d.status)).toEqual([200]);
    expect(JSON.parse(harness.emulator.deliveries(completed.id)[0]!.response_body!)).toMatchObject({ outcome: "held_for_review" });
    expect(errors.mock.calls.map((c) => String(c[0])).some((m) => m.includes(topUpId) && m.includes(completed.id) && m.includes("balance_limit"))).toBe(true);
    expect(await available(customerId)).toBe("999999999999990");

    // Still no room: the operator's credit is refused and the review stays open.
    await expect(resolveTopUpReview(topUpId, "credit")).rejects.toMatchObject({ code: "balance_limit_exceeded" });
    expect((await api("GET", `/top-ups/${topUpId}`)).body).toMatchObject({ status: "initiated", review: { reason: "balance_limit" } });
    // Room made: credited once.
    const spend = await api("POST", `/customers/${customerId}/wallet/adjustments`, { transaction_id: "spend", asset: "USD", amount: -10, reason: "charge" });
    expect(spend.status).toBe(201);
    await resolveTopUpReview(topUpId, "credit");
    expect((await api("GET", `/top-ups/${topUpId}`)).body).toMatchObject({ status: "succeeded", review: { reason: "balance_limit", resolution: "credited" } });
    expect(await available(customerId)).toBe("1000000000000000");
    expect(await verifyLedger(customerId)).toEqual([]);
  });
});
