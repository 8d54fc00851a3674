import Stripe from "stripe";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as webhookRoute } from "@/app/api/stripe/webhook/route";
import { createAsset } from "@/lib/catalog/create-asset";
import { closeDb, pool, prisma } from "@/lib/db";
import { charge, credit, readWallet, verifyLedger } from "@/lib/ledger";
import { Dec } from "@/lib/money";
import { stripeClient } from "@/lib/stripe/client";
import { initiateTopUp } from "@/lib/top-ups/initiate-top-up";
import { signedWebhookRequest, startStripeHarness, waitFor, type StripeHarness } from "@/lib/top-ups/testing/stripe-harness";
import type { EventObject } from "@/scripts/stripe-emulator/server";
import { createTestCustomer, createTestPlatform, type TestPlatform } from "@/test/factories";

/**
 * Stripe → webhook route → ledger, end to end: the emulator (real HTTP, signed with the
 * SDK) delivers to the real route handler; the tests drive payments, refunds, duplicate
 * and out-of-order deliveries through the emulator's controls and read the results from
 * PostgreSQL. Waits poll the database with a deadline; nothing sleeps.
 */

let harness: StripeHarness;
let platform: TestPlatform;

beforeAll(async () => {
  harness = await startStripeHarness();
  platform = await createTestPlatform("Stripe webhooks");
  await createAsset(platform, { code: "TOK", name: "Tokens", precision: 0, rates: [{ source: "USD", rate: new Dec("0.05") }] });
});
afterEach(async () => {
  harness.emulator.configureWebhooks({ autoDeliver: true });
  await harness.emulator.webhooksIdle();
});
afterAll(async () => {
  await harness?.close();
  await closeDb();
});

interface Started {
  customerId: string;
  topUpId: string;
  sessionId: string;
}

async function startTopUp(amount: number, options: { asset?: string; creditExpiresAt?: Date; customerId?: string } = {}): Promise<Started> {
  const customerId = options.customerId ?? (await createTestCustomer(platform.platformId)).customerId;
  const { topUp } = await initiateTopUp(platform, {
    customer_id: customerId,
    amount: new Dec(amount),
    currency: "USD",
    destination: { account_name: "default", asset: options.asset ?? "USD" },
    credit_expires_at: options.creditExpiresAt ?? null,
  });
  return { customerId, topUpId: topUp.id, sessionId: topUp.checkoutSessionId! };
}

function topUpRow(topUpId: string) {
  return prisma().topUp.findUniqueOrThrow({ where: { id: topUpId } });
}

async function waitForStatus(topUpId: string, status: string) {
  return waitFor(async () => {
    const row = await topUpRow(topUpId);
    return row.status === status ? row : undefined;
  }, `${topUpId} to be ${status}`);
}

async function available(customerId: string, accountId = "default:USD"): Promise<string | undefined> {
  return (await readWallet(customerId)).find((a) => a.id === accountId)?.available.toFixed();
}

async function creditCount(customerId: string): Promise<number> {
  const { rows } = await pool().query<{ n: string }>(`SELECT count(*) AS n FROM ledger_transactions WHERE customer_id = $1 AND kind = 'credit'`, [customerId]);
  return Number(rows[0]!.n);
}

async function recordedEvents(ids: string[]): Promise<string[]> {
  const { rows } = await pool().query<{ id: string }>(`SELECT id FROM stripe_events WHERE id = ANY($1::text[]) ORDER BY id`, [ids]);
  return rows.map((r) => r.id);
}

function eventsOf(sessionOrIntent: string, type?: string): EventObject[] {
  return harness.emulator.events(type).filter((e) => {
    const object = e.data.object as { id: string; payment_intent?: string | null };
    return object.id === sessionOrIntent || object.payment_intent === sessionOrIntent;
  });
}

function holdWebhooks() {
  harness.emulator.configureWebhooks({ autoDeliver: false });
}

function answerBodies(attempts: { response_body: string | null }[]) {
  return attempts.map((a) => JSON.parse(a.response_body ?? "{}") as { status?: string; outcome?: string });
}

describe("payments", () => {
  it("initiate → pay → webhook: the wallet is credited once with a paid grant, the top-up succeeds", async () => {
    const creditExpiresAt = new Date(Date.now() + 30 * 24 * 3600_000);
    const { customerId, topUpId, sessionId } = await startTopUp(50, { creditExpiresAt });
    expect((await readWallet(customerId)).length).toBe(0);

    const paid = harness.emulator.pay(sessionId);
    const row = await waitForStatus(topUpId, "succeeded");
    await harness.emulator.webhooksIdle();

    expect(row.paymentIntentId).toBe(paid.payment_intent);
    expect(await available(customerId)).toBe("50");
    expect(await creditCount(customerId)).toBe(1);
    const grant = await prisma().creditGrant.findUniqueOrThrow({ where: { id: row.grantId! } });
    expect({ purpose: grant.purpose, amount: grant.amount.toFixed(), expiresAt: grant.expiresAt?.getTime() }).toEqual({
      purpose: "paid",
      amount: "50",
      expiresAt: creditExpiresAt.getTime(),
    });
    expect(grant.source).toEqual({ top_up_id: topUpId });
    const [completed] = eventsOf(sessionId, "checkout.session.completed");
    expect(await recordedEvents([completed!.id])).toEqual([completed!.id]);
    expect(harness.emulator.deliveries(completed!.id).map((d) => d.status)).toEqual([200]);
    expect(await verifyLedger(customerId)).toEqual([]);
  });

  it("a paid grant without credit_expires_at expires in one year", async () => {
    const { topUpId, sessionId } = await startTopUp(5);
    harness.emulator.pay(sessionId);
    const row = await waitForStatus(topUpId, "succeeded");
    const grant = await prisma().creditGrant.findUniqueOrThrow({ where: { id: row.grantId! } });
    const inOneYear = Date.now() + 365 * 24 * 3600_000;
    expect(Math.abs(grant.expiresAt!.getTime() - inOneYear)).toBeLessThan(60_000);
  });

  it("the same event delivered five times in a row, and five times at once, credits once", async () => {
    const { customerId, topUpId, sessionId } = await startTopUp(50);
    holdWebhooks();
    harness.emulator.pay(sessionId);
    const [completed] = eventsOf(sessionId, "checkout.session.completed");
    const attempts = await harness.emulator.deliver(Array(5).fill(completed!.id));
    expect(attempts.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answerBodies(attempts).map((b) => b.outcome ?? b.status)).toEqual(["credited", "duplicate", "duplicate", "duplicate", "duplicate"]);
    expect((await topUpRow(topUpId)).status).toBe("succeeded");

    // Concurrent redeliveries (each a run with retries, all in flight together).
    for (let i = 0; i < 5; i++) harness.emulator.redeliver(completed!.id);
    await harness.emulator.webhooksIdle();
    expect(harness.emulator.deliveries(completed!.id).every((d) => d.status === 200)).toBe(true);
    expect(await available(customerId)).toBe("50");
    expect(await creditCount(customerId)).toBe(1);
    expect(await verifyLedger(customerId)).toEqual([]);
  });

  it("a delayed payment's events delivered in reverse order credit once", async () => {
    const { customerId, topUpId, sessionId } = await startTopUp(20);
    holdWebhooks();
    harness.emulator.payAsync(sessionId);
    harness.emulator.asyncSucceed(sessionId);
    const ids = eventsOf(sessionId).map((e) => e.id);
    expect(eventsOf(sessionId).map((e) => e.type)).toEqual(["checkout.session.completed", "checkout.session.async_payment_succeeded"]);

    const reversed = await harness.emulator.deliver([...ids].reverse());
    expect(answerBodies(reversed).map((b) => b.outcome)).toEqual(["credited", "unchanged"]); // the payment intent was already stored by the credit
    const again = await harness.emulator.deliver([...ids, ...ids]);
    expect(answerBodies(again).map((b) => b.status)).toEqual(["duplicate", "duplicate", "duplicate", "duplicate"]);

    const row = await topUpRow(topUpId);
    expect(row.status).toBe("succeeded");
    expect(row.paymentIntentId).toMatch(/^pi_/);
    expect(await available(customerId)).toBe("20");
    expect(await creditCount(customerId)).toBe(1);
  });

  it("an expired event after completed does not un-succeed; completed after expired still credits a paid session", async () => {
    const first = await startTopUp(10);
    harness.emulator.pay(first.sessionId);
    await waitForStatus(first.topUpId, "succeeded");
    const completed = eventsOf(first.sessionId, "checkout.session.completed")[0]!;
    const lateExpired = {
      ...completed,
      id: `evt_late_expired_${first.topUpId}`,
      type: "checkout.session.expired",
      data: { object: { ...completed.data.object, status: "expired" } },
    };
    const response = await webhookRoute(signedWebhookRequest(lateExpired));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "processed", outcome: "unchanged" });
    expect((await topUpRow(first.topUpId)).status).toBe("succeeded");
    expect(await recordedEvents([lateExpired.id])).toEqual([lateExpired.id]);
    expect(await available(first.customerId)).toBe("10");

    // Stripe never completes an expired session; if an event said so, the payment is credited.
    const second = await startTopUp(10);
    harness.emulator.expire(second.sessionId);
    await waitForStatus(second.topUpId, "expired");
    const lateCompleted = {
      ...completed,
      id: `evt_late_completed_${second.topUpId}`,
      data: { object: { ...completed.data.object, id: second.sessionId, payment_intent: "pi_late_payment" } },
    };
    const credited = await webhookRoute(signedWebhookRequest(lateCompleted));
    expect(await credited.json()).toMatchObject({ status: "processed", outcome: "credited", top_up_id: second.topUpId });
    expect(await topUpRow(second.topUpId)).toMatchObject({ status: "succeeded", paymentIntentId: "pi_late_payment" });
    expect(await available(second.customerId)).toBe("10");
  });

  it("decline → failed, balance unchanged and nothing pending", async () => {
    const { customerId } = await createTestCustomer(platform.platformId);
    await credit(customerId, { idempotencyKey: "opening", accountName: "default", asset: "USD", amount: new Dec(5), purpose: "paid" });
    const { topUpId, sessionId } = await startTopUp(30, { customerId });
    expect((await readWallet(customerId))[0]!.pendingIn.toFixed()).toBe("30");

    harness.emulator.decline(sessionId);
    const row = await waitForStatus(topUpId, "failed");
    await harness.emulator.webhooksIdle();
    expect(row.grantId).toBeNull();
    const [account] = await readWallet(customerId);
    expect({ available: account!.available.toFixed(), pendingIn: account!.pendingIn.toFixed() }).toEqual({ available: "5", pendingIn: "0" });
    expect(await creditCount(customerId)).toBe(1);
  });

  it("ignores sessions that are not top-ups and event types it does not use", async () => {
    const session = await stripeClient().checkout.sessions.create({
      mode: "payment",
      line_items: [{ quantity: 1, price_data: { currency: "usd", unit_amount: 900, product_data: { name: "Not a top-up" } } }],
      success_url: "https://example.com/ok",
    });
    holdWebhooks();
    harness.emulator.pay(session.id);
    const [completed] = eventsOf(session.id, "checkout.session.completed");
    const attempts = await harness.emulator.deliver([completed!.id]);
    expect(attempts[0]!.status).toBe(200);
    expect(answerBodies(attempts)[0]).toMatchObject({ status: "ignored" });

    const unknown = { id: "evt_unknown_type_1", object: "event", type: "customer.created", data: { object: { id: "cus_1", object: "customer" } } };
    const response = await webhookRoute(signedWebhookRequest(unknown));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ignored" });
    expect(await recordedEvents([completed!.id, unknown.id])).toEqual([]);
  });
});

describe("signatures and failures", () => {
  it("a missing, forged or stale signature, or a tampered body, is a 400 and writes nothing", async () => {
    const { customerId, topUpId, sessionId } = await startTopUp(50);
    holdWebhooks();
    harness.emulator.pay(sessionId);
    const event = eventsOf(sessionId, "checkout.session.completed")[0]!;
    const payload = JSON.stringify(event);
    const post = (body: string, headers: Record<string, string>) =>
      webhookRoute(new Request("http://localhost/api/stripe/webhook", { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body }));
    const signature = (body: string, secret?: string, timestamp?: number) =>
      Stripe.webhooks.generateTestHeaderString({ payload: body, secret: secret ?? "whsec_drawdown_dev_emulator", ...(timestamp ? { timestamp } : {}) });
    const valid = signedWebhookRequest(event).headers.get("stripe-signature")!;

    const answers = [
      await post(payload, {}),
      await post(payload, { "Stripe-Signature": signature(payload, "whsec_forged") }),
      await post(payload, { "Stripe-Signature": "t=1,v1=deadbeef" }),
      await post(payload, { "Stripe-Signature": signature(payload, undefined, Math.floor(Date.now() / 1000) - 3600) }),
      await post(payload.replace('"amount_total":5000', '"amount_total":9999999'), { "Stripe-Signature": valid }),
    ];
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 400, 400]);
    expect(await answers[1]!.json()).toMatchObject({ status: 400, type: expect.stringMatching(/invalid_signature$/) });

    expect(await recordedEvents([event.id])).toEqual([]);
    expect((await topUpRow(topUpId)).status).toBe("initiated");
    expect(await readWallet(customerId)).toEqual([]);

    // The genuine delivery still works afterwards.
    const [delivered] = await harness.emulator.deliver([event.id]);
    expect(delivered!.status).toBe(200);
    expect(await available(customerId)).toBe("50");
  });

  it("a processing failure answers 500, records nothing, and the retry succeeds", async () => {
    const { customerId, topUpId, sessionId } = await startTopUp(15);
    // Break this top-up so its credit is refused by the ledger (credit_amount 0).
    await pool().query(`UPDATE top_ups SET credit_amount = 0 WHERE id = $1`, [topUpId]);
    holdWebhooks();
    harness.emulator.pay(sessionId);
    const event = eventsOf(sessionId, "checkout.session.completed")[0]!;

    // The 500's cause goes to the log under the request id; captured here, as expected.
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const [failed] = await harness.emulator.deliver([event.id]);
    const logged = errors.mock.calls.map(([line]) => String(line));
    errors.mockRestore();
    expect(failed!.status).toBe(500);
    expect(logged.some((line) => line.includes("request failed"))).toBe(true);
    expect(await recordedEvents([event.id])).toEqual([]);
    expect((await topUpRow(topUpId)).status).toBe("initiated");
    expect(await readWallet(customerId)).toEqual([]);

    await pool().query(`UPDATE top_ups SET credit_amount = 15 WHERE id = $1`, [topUpId]);
    const [retried] = await harness.emulator.deliver([event.id]);
    expect(retried!.status).toBe(200);
    expect((await topUpRow(topUpId)).status).toBe("succeeded");
    expect(await available(customerId)).toBe("15");
  });
});

describe("refunds", () => {
  it("a refund after partial use takes back what is left of the grant and records the rest as debt", async () => {
    const { customerId, topUpId, sessionId } = await startTopUp(50);
    const paid = harness.emulator.pay(sessionId);
    const row = await waitForStatus(topUpId, "succeeded");
    await charge(customerId, { idempotencyKey: "usage-1", legs: [{ accountName: "default", asset: "USD", amount: new Dec(30) }] });
    expect(await available(customerId)).toBe("20");

    harness.emulator.refund({ payment_intent: paid.payment_intent! });
    await waitFor(async () => (await topUpRow(topUpId)).refundedAmount.eq(50), "the refund to be applied");
    await harness.emulator.webhooksIdle();

    expect(await available(customerId)).toBe("-30");
    const grant = await prisma().creditGrant.findUniqueOrThrow({ where: { id: row.grantId! } });
    expect({ remaining: grant.remaining.toFixed(), status: grant.status }).toEqual({ remaining: "0", status: "reversed" });
    const { rows } = await pool().query<{ kind: string; amount: string }>(
      `SELECT e.kind, e.amount FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id
        WHERE t.customer_id = $1 AND t.kind = 'reverse' ORDER BY e.id`,
      [customerId],
    );
    expect(rows.map((r) => [r.kind, new Dec(r.amount).toFixed()])).toEqual([
      ["reverse", "-20"],
      ["reverse_debt", "-30"],
    ]);
    expect((await topUpRow(topUpId)).status).toBe("succeeded");
    expect(await verifyLedger(customerId)).toEqual([]);
  });

  it("partial refunds reverse in proportion, out of order and duplicated events reverse each part once", async () => {
    const { customerId, topUpId, sessionId } = await startTopUp(40, { asset: "TOK" }); // 800 TOK
    const paid = harness.emulator.pay(sessionId);
    await waitForStatus(topUpId, "succeeded");
    await harness.emulator.webhooksIdle();

    harness.emulator.refund({ payment_intent: paid.payment_intent!, amount: 1000 }); // $10 → 200 TOK
    await waitFor(async () => (await topUpRow(topUpId)).refundedAmount.eq(10), "the first refund");
    expect(await available(customerId, "default:TOK")).toBe("600");

    holdWebhooks();
    harness.emulator.refund({ payment_intent: paid.payment_intent!, amount: 500 }); // cumulative $15
    harness.emulator.refund({ payment_intent: paid.payment_intent!, amount: 2500 }); // cumulative $40
    const refunds = eventsOf(paid.payment_intent!, "charge.refunded").map((e) => e.id);
    expect(refunds.length).toBe(3);
    const attempts = await harness.emulator.deliver([refunds[2]!, refunds[1]!, refunds[0]!, refunds[2]!]);
    expect(answerBodies(attempts).map((b) => b.outcome ?? b.status)).toEqual(["reversed", "nothing_to_reverse", "duplicate", "duplicate"]);

    expect(await available(customerId, "default:TOK")).toBe("0");
    expect((await topUpRow(topUpId)).refundedAmount.toFixed()).toBe("40");
    expect(await verifyLedger(customerId)).toEqual([]);
  });

  it("a refund delivered before the payment's own event credits, then reverses, once", async () => {
    const { customerId, topUpId, sessionId } = await startTopUp(25);
    holdWebhooks();
    const paid = harness.emulator.pay(sessionId);
    harness.emulator.refund({ payment_intent: paid.payment_intent!, amount: 500 });
    const completed = eventsOf(sessionId, "checkout.session.completed")[0]!;
    const refunded = eventsOf(paid.payment_intent!, "charge.refunded")[0]!;

    const attempts = await harness.emulator.deliver([refunded.id, completed.id, refunded.id]);
    expect(answerBodies(attempts).map((b) => b.outcome ?? b.status)).toEqual(["reversed", "already_credited", "duplicate"]);
    expect(await topUpRow(topUpId)).toMatchObject({ status: "succeeded", paymentIntentId: paid.payment_intent });
    expect(await available(customerId)).toBe("20");
    expect(await creditCount(customerId)).toBe(1);
    expect(await verifyLedger(customerId)).toEqual([]);
  });
});
