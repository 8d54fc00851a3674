import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { closeDb, pool, prisma } from "@/lib/db";
import { readWallet, verifyLedger } from "@/lib/ledger";
import { Dec } from "@/lib/money";
import { stripeClient } from "@/lib/stripe/client";
import { createTestCustomer, createTestPlatform, type TestPlatform } from "@/test/factories";
import { expireOverdueTopUps } from "./expire-overdue-top-ups";
import { initiateTopUp } from "./initiate-top-up";
import { startStripeHarness, waitFor, type StripeHarness } from "./testing/stripe-harness";

/**
 * The expiry job's body against PostgreSQL and the Stripe emulator. `now` is moved past
 * the top-ups' hour instead of waiting; other test files' top-ups may be overdue at that
 * `now` too (their sessions live in other emulators), so assertions name our ids only.
 */

let harness: StripeHarness;
let platform: TestPlatform;
const later = () => new Date(Date.now() + 2 * 3600_000);

beforeAll(async () => {
  harness = await startStripeHarness();
  platform = await createTestPlatform("Top-up expiry");
});
afterEach(async () => {
  harness.emulator.configureWebhooks({ autoDeliver: true });
  await harness.emulator.webhooksIdle();
});
afterAll(async () => {
  await harness?.close();
  await closeDb();
});

async function startTopUp(amount = 20) {
  const { customerId } = await createTestCustomer(platform.platformId);
  const { topUp } = await initiateTopUp(platform, {
    customer_id: customerId,
    amount: new Dec(amount),
    currency: "USD",
    destination: { account_name: "default", asset: "USD" },
  });
  return { customerId, topUpId: topUp.id, sessionId: topUp.checkoutSessionId! };
}

const topUpRow = (id: string) => prisma().topUp.findUniqueOrThrow({ where: { id } });

describe("expireOverdueTopUps", () => {
  it("expires an unpaid top-up past expires_at and its Checkout Session; Stripe's expired event then changes nothing", async () => {
    const { customerId, topUpId, sessionId } = await startTopUp();
    const untouched = await startTopUp();
    await prisma().topUp.update({ where: { id: untouched.topUpId }, data: { expiresAt: new Date(Date.now() + 5 * 3600_000) } });

    const run = await expireOverdueTopUps(later());
    expect(run.expired).toContain(topUpId);
    expect(run.expired).not.toContain(untouched.topUpId);
    expect((await topUpRow(topUpId)).status).toBe("expired");
    expect((await topUpRow(untouched.topUpId)).status).toBe("initiated");
    expect((await stripeClient().checkout.sessions.retrieve(sessionId)).status).toBe("expired");

    const expiredEvent = harness.emulator.events("checkout.session.expired").find((e) => e.data.object.id === sessionId)!;
    await waitFor(async () => (await pool().query(`SELECT 1 FROM stripe_events WHERE id = $1`, [expiredEvent.id])).rowCount === 1, "the expired event");
    expect((await topUpRow(topUpId)).status).toBe("expired");
    expect(await readWallet(customerId)).toEqual([]);

    const again = await expireOverdueTopUps(later());
    expect([...again.expired, ...again.settled, ...again.processing]).not.toContain(topUpId);
  });

  it("does not touch a top-up before its expires_at", async () => {
    const { topUpId } = await startTopUp();
    const run = await expireOverdueTopUps(new Date());
    expect([...run.expired, ...run.settled, ...run.processing, ...run.failed.map((f) => f.id)]).not.toContain(topUpId);
    expect((await topUpRow(topUpId)).status).toBe("initiated");
  });

  it("credits a top-up that was paid but whose webhook has not arrived, exactly once", async () => {
    const { customerId, topUpId, sessionId } = await startTopUp(35);
    harness.emulator.configureWebhooks({ autoDeliver: false });
    harness.emulator.pay(sessionId);

    const run = await expireOverdueTopUps(later());
    expect(run.settled).toContain(topUpId);
    expect((await topUpRow(topUpId)).status).toBe("succeeded");

    const completed = harness.emulator.events("checkout.session.completed").find((e) => e.data.object.id === sessionId)!;
    const [attempt] = await harness.emulator.deliver([completed.id]);
    expect(JSON.parse(attempt!.response_body!)).toMatchObject({ outcome: "already_credited" });
    expect((await readWallet(customerId))[0]!.available.toFixed()).toBe("35");
    expect(await verifyLedger(customerId)).toEqual([]);
  });

  it("leaves a delayed payment in progress to its webhooks", async () => {
    const { customerId, topUpId, sessionId } = await startTopUp(12);
    harness.emulator.configureWebhooks({ autoDeliver: false });
    const processing = harness.emulator.payAsync(sessionId);

    const run = await expireOverdueTopUps(later());
    expect(run.processing).toContain(topUpId);
    expect(await topUpRow(topUpId)).toMatchObject({ status: "initiated", paymentIntentId: processing.payment_intent });
    const next = await expireOverdueTopUps(later());
    expect([...next.expired, ...next.processing, ...next.settled]).not.toContain(topUpId);

    harness.emulator.asyncSucceed(sessionId);
    harness.emulator.configureWebhooks({ autoDeliver: true });
    for (const event of harness.emulator.events().filter((e) => e.data.object.id === sessionId)) harness.emulator.redeliver(event.id);
    await waitFor(async () => (await topUpRow(topUpId)).status === "succeeded", "the async payment to settle");
    expect((await readWallet(customerId))[0]!.available.toFixed()).toBe("12");
  });

  it("keeps a top-up initiated when Stripe cannot expire its session, and goes on with the others", async () => {
    const broken = await startTopUp();
    const fine = await startTopUp();
    await pool().query(`UPDATE top_ups SET checkout_session_id = 'cs_test_unknown_' || id WHERE id = $1`, [broken.topUpId]);

    const run = await expireOverdueTopUps(later());
    expect(run.failed.map((f) => f.id)).toContain(broken.topUpId);
    expect(run.expired).toContain(fine.topUpId);
    expect((await topUpRow(broken.topUpId)).status).toBe("initiated");
  });
});
