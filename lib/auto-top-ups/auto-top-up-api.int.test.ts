import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, prisma } from "@/lib/db";
import { charge, credit } from "@/lib/ledger";
import { Dec } from "@/lib/money";
import { ensureStripeCustomer } from "@/lib/payment-methods";
import { stripeClient } from "@/lib/stripe/client";
import { startStripeHarness, type StripeHarness } from "@/lib/top-ups/testing/stripe-harness";
import { apiClient, startTestApiServer, type TestApiServer } from "@/test/api-server";
import { createTestCustomer, createTestPlatform, type TestPlatform } from "@/test/factories";
import { processAutoTopUps, updateAutoTopUpSettings } from ".";

/**
 * The platform's side of auto top-up over real HTTP: it reads the settings (with the card
 * and the latest attempt), switches them off, and sees each auto top-up as a top-up marked
 * `automatic`. Only the cardholder enables (updateAutoTopUpSettings, the portal's call).
 */

let harness: StripeHarness;
let server: TestApiServer;
let platform: TestPlatform;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  harness = await startStripeHarness();
  server = await startTestApiServer();
  platform = await createTestPlatform("Auto top-up API");
  api = apiClient(server.url, platform.apiKey);
});
afterAll(async () => {
  await server?.close();
  await harness?.close();
  await closeDb();
});

let n = 0;
async function fundedCustomerWithCard() {
  const { customerId } = await createTestCustomer(platform.platformId);
  const method = await stripeClient().paymentMethods.attach("pm_card_visa", { customer: await ensureStripeCustomer(platform, customerId) });
  await credit(customerId, { idempotencyKey: `api-deposit:${++n}`, accountName: "default", asset: "USD", amount: new Dec(10), purpose: "promotion" });
  return { customerId, paymentMethodId: method.id };
}

function spend(customerId: string, amount: number) {
  return charge(customerId, { idempotencyKey: `api-spend:${++n}`, legs: [{ accountName: "default", asset: "USD", amount: new Dec(amount) }] });
}

const path = (customerId: string, account = "default:USD") => `/customers/${customerId}/wallet/${account}/auto-top-up`;

describe("GET and DELETE /customers/{id}/wallet/{account_id}/auto-top-up", () => {
  it("answers unconfigured, then the settings with the card and the latest attempt; the auto top-up is an automatic top-up", async () => {
    const { customerId, paymentMethodId } = await fundedCustomerWithCard();
    const before = await api("GET", path(customerId));
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ account_id: "default:USD", configured: false, enabled: false, threshold: null, card: null, last_auto_top_up: null, spent_this_month: 0 });

    await updateAutoTopUpSettings(platform, customerId, "default:USD", { enabled: true, threshold: new Dec(5), amount: new Dec(20), monthlyCap: new Dec(100) });
    await spend(customerId, 6);
    await processAutoTopUps();

    const after = await api("GET", path(customerId));
    expect(after.body).toMatchObject({
      configured: true,
      enabled: true,
      threshold: 5,
      amount: 20,
      currency: "USD",
      monthly_cap: 100,
      spent_this_month: 20,
      card: { id: paymentMethodId, brand: "visa", last4: "4242" },
      consecutive_failures: 0,
      disabled_reason: null,
      last_auto_top_up: { status: "succeeded", amount: 20, currency: "USD", credit_amount: 20, failure_code: null },
    });
    const topUps = await api("GET", `/top-ups?customer_id=${customerId}`);
    expect(topUps.body.items).toHaveLength(1);
    expect(topUps.body.items[0]).toMatchObject({ id: after.body.last_auto_top_up.top_up_id, status: "succeeded", automatic: true, amount: 20 });
    const one = await api("GET", `/top-ups/${after.body.last_auto_top_up.top_up_id}`);
    expect(one.body.automatic).toBe(true);
  });

  it("DELETE switches it off (idempotently) and a crossing then records nothing", async () => {
    const { customerId } = await fundedCustomerWithCard();
    await updateAutoTopUpSettings(platform, customerId, "default:USD", { enabled: true, threshold: new Dec(5), amount: new Dec(20), monthlyCap: new Dec(100) });
    for (let i = 0; i < 2; i++) {
      const off = await api("DELETE", path(customerId));
      expect(off.status).toBe(200);
      expect(off.body).toMatchObject({ configured: true, enabled: false, disabled_reason: "platform", threshold: 5 });
    }
    await spend(customerId, 6);
    expect(await prisma().autoTopUp.count({ where: { customerId } })).toBe(0);
  });

  it("another platform's customer, or an id that names no account, is a 404 and changes nothing", async () => {
    const { customerId } = await fundedCustomerWithCard();
    await updateAutoTopUpSettings(platform, customerId, "default:USD", { enabled: true, threshold: new Dec(5), amount: new Dec(20), monthlyCap: new Dec(100) });
    const other = await createTestPlatform("Another platform");
    const otherApi = apiClient(server.url, other.apiKey);
    expect((await otherApi("GET", path(customerId))).status).toBe(404);
    expect((await otherApi("DELETE", path(customerId))).status).toBe(404);
    expect((await api("GET", path(customerId, "nocolon"))).status).toBe(404);
    expect(await prisma().autoTopUpSettings.findFirstOrThrow({ where: { customerId } })).toMatchObject({ enabled: true, disabledReason: null });
  });
});
