import Stripe from "stripe";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { closeDb, pool, prisma } from "@/lib/db";
import { readWallet, verifyLedger } from "@/lib/ledger";
import { webhookSecret } from "@/lib/stripe/client";
import { expireOverdueTopUps, listOpenTopUpReviews, resolveTopUpReview } from "@/lib/top-ups";
import { signedWebhookRequest, startStripeHarness, waitFor, type StripeHarness } from "@/lib/top-ups/testing/stripe-harness";
import type { EventObject } from "@/scripts/stripe-emulator/server";
import { apiClient, startTestApiServer, type TestApiServer } from "@/test/api-server";
import { createTestCustomer, createTestPlatform, type TestPlatform } from "@/test/factories";

/**
 * Stripe's events are checked, not trusted: a signed event whose amount or currency is not
 * the top-up's credits nothing and holds the top-up for review (visible on GET /top-ups),
 * answered 200 so Stripe stops retrying; refunds in another currency or of more than was
 * paid reverse nothing; signatures dated more than 5 minutes ahead or behind are a 400.
 * Everything goes over real HTTP: the emulator's and the forged deliveries reach the
 * webhook route through the harness's forwarder, the top-ups are read through the API.
 */
let harness: StripeHarness;
let server: TestApiServer;
let platform: TestPlatform;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  harness = await startStripeHarness();
  server = await startTestApiServer();
  platform = await createTestPlatform("Stripe payment checks");
  api = apiClient(server.url, platform.apiKey);
});
afterEach(async () => {
  // Held events go out now and may meet a review: their log lines are the test's, still captured.
  harness.emulator.configureWebhooks({ autoDeliver: true });
  await harness.emulator.webhooksIdle();
  vi.restoreAllMocks();
});
afterAll(async () => {
  await harness?.close();
  await server?.close();
  await closeDb();
});

async function startTopUp(amount: number, currency = "USD") {
  const { customerId } = await createTestCustomer(platform.platformId);
  const res = await api("POST", "/top-ups", { customer_id: customerId, amount, currency });
  expect(res.status).toBe(201);
  const row = await prisma().topUp.findUniqueOrThrow({ where: { id: res.body.id } });
  return { customerId, topUpId: row.id, sessionId: row.checkoutSessionId! };
}

/** Pays the session with webhooks held and answers the genuine `checkout.session.completed`. */
function payHeld(sessionId: string): EventObject {
  harness.emulator.configureWebhooks({ autoDeliver: false });
  harness.emulator.pay(sessionId);
  return harness.emulator.events("checkout.session.completed").find((e) => e.data.object.id === sessionId)!;
}

/** POSTs a signed event to the webhook route over HTTP. */
async function deliver(event: object, options: { timestamp?: number; secret?: string } = {}) {
  const request = signedWebhookRequest(event, options.secret ?? webhookSecret(), options.timestamp);
  const response = await fetch(harness.webhookUrl, { method: "POST", headers: request.headers, body: await request.text() });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function withSession(event: EventObject, id: string, session: Record<string, unknown>) {
  return { ...event, id, data: { object: { ...event.data.object, ...session } } };
}

/**
 * Captures the `[top-ups] review` lines (console.error when a top-up is held, console.warn
 * when an event meets an open review: lib/top-ups/review-top-up.ts) that these tests cause
 * on purpose, so a passing run stays quiet; anything else still reaches the console.
 * Returns a reader of the captured lines; restored by vi.restoreAllMocks in afterEach.
 */
function captureReviewLog(): { lines: () => string[]; held: (topUpId: string) => boolean } {
  const captured: string[] = [];
  for (const method of ["error", "warn"] as const) {
    const original = console[method].bind(console);
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      const line = String(args[0]);
      if (line.startsWith("[top-ups] review:")) captured.push(line);
      else original(...args);
    });
  }
  return { lines: () => [...captured], held: (topUpId) => captured.some((line) => line.includes(`top-up ${topUpId} held`)) };
}

const getTopUp = async (id: string) => (await api("GET", `/top-ups/${id}`)).body;
const creditCount = async (customerId: string) =>
  Number((await pool().query<{ n: string }>(`SELECT count(*) AS n FROM ledger_transactions WHERE customer_id = $1 AND kind = 'credit'`, [customerId])).rows[0]!.n);
const recorded = async (id: string) => (await pool().query(`SELECT 1 FROM stripe_events WHERE id = $1`, [id])).rowCount === 1;

describe("paid sessions are checked against the top-up", () => {
  it("a signed 0.01 EUR completion of a 20 USD top-up credits nothing, answers 200 and holds it; the genuine event cannot credit past the review", async () => {
    const reviewLog = captureReviewLog();
    const { customerId, topUpId } = await startTopUp(20);
    const genuine = payHeld((await prisma().topUp.findUniqueOrThrow({ where: { id: topUpId } })).checkoutSessionId!);
    const forged = withSession(genuine, `evt_forged_eur_${topUpId}`, { amount_total: 1, currency: "eur" });

    const answer = await deliver(forged);
    expect(answer).toMatchObject({ status: 200, body: { status: "processed", outcome: "held_for_review", top_up_id: topUpId } });
    expect(await recorded(forged.id)).toBe(true);
    const held = await getTopUp(topUpId);
    expect(held).toMatchObject({
      status: "initiated",
      grant_id: null,
      review: { reason: "currency_mismatch", detail: expect.stringContaining("EUR"), flagged_at: expect.any(String), stripe_event_id: forged.id },
    });
    expect(held.review).not.toHaveProperty("resolution");
    expect(reviewLog.lines().some((m) => m.includes(`top-up ${topUpId} held`) && m.includes(forged.id))).toBe(true);

    // The genuine event (and a redelivery of the forged one) credit nothing while the review is open.
    const [late] = await harness.emulator.deliver([genuine.id]);
    expect(late!.status).toBe(200);
    expect(JSON.parse(late!.response_body!)).toMatchObject({ outcome: "held_for_review" });
    expect((await deliver(forged)).body).toMatchObject({ status: "duplicate" });
    expect(await creditCount(customerId)).toBe(0);
    expect(await readWallet(customerId)).toEqual([]);

    // Neither the expiry job nor an `expired` event ends a paid top-up held for review.
    const run = await expireOverdueTopUps(new Date(Date.now() + 2 * 3600_000));
    expect([...run.expired, ...run.settled]).not.toContain(topUpId);
    const expired = withSession(genuine, `evt_expired_${topUpId}`, { status: "expired" });
    expect((await deliver({ ...expired, type: "checkout.session.expired" })).status).toBe(200);
    expect(await getTopUp(topUpId)).toMatchObject({ status: "initiated", review: { reason: "currency_mismatch", stripe_event_id: forged.id } });

    // Lists show the review too.
    const list = await api("GET", `/top-ups?customer_id=${customerId}`);
    expect(list.body.items).toEqual([expect.objectContaining({ id: topUpId, review: expect.objectContaining({ reason: "currency_mismatch" }) })]);
    expect(reviewLog.lines()).toContainEqual(expect.stringContaining(`top-up ${topUpId} has an open review; Stripe event ${genuine.id}`));
  });

  it("an amount that is not the top-up's, in its own currency, is an amount_mismatch; an async success is checked the same way", async () => {
    const reviewLog = captureReviewLog();
    const first = await startTopUp(20);
    const genuine = payHeld(first.sessionId);
    const cent = await deliver(withSession(genuine, `evt_cent_${first.topUpId}`, { amount_total: 1 }));
    expect(cent.body).toMatchObject({ outcome: "held_for_review" });
    expect((await getTopUp(first.topUpId)).review).toMatchObject({ reason: "amount_mismatch", detail: expect.stringContaining("amount_total 1 USD") });

    const second = await startTopUp(30);
    harness.emulator.configureWebhooks({ autoDeliver: false });
    harness.emulator.payAsync(second.sessionId);
    harness.emulator.asyncSucceed(second.sessionId);
    const succeeded = harness.emulator.events("checkout.session.async_payment_succeeded").find((e) => e.data.object.id === second.sessionId)!;
    const wrong = await deliver(withSession(succeeded, `evt_async_${second.topUpId}`, { amount_total: 300 }));
    expect(wrong.body).toMatchObject({ outcome: "held_for_review" });
    expect(await creditCount(second.customerId)).toBe(0);
    expect((await getTopUp(second.topUpId)).review).toMatchObject({ reason: "amount_mismatch" });
    expect([reviewLog.held(first.topUpId), reviewLog.held(second.topUpId)]).toEqual([true, true]);
  });

  it("amounts are compared in the currency's minor units: ¥500 is 500 (zero-decimal), and the emulator's honest payment credits it", async () => {
    const reviewLog = captureReviewLog();
    const honest = await startTopUp(500, "JPY");
    harness.emulator.pay(honest.sessionId);
    await waitFor(async () => (await getTopUp(honest.topUpId)).status === "succeeded", "the yen top-up to succeed");
    expect((await readWallet(honest.customerId)).find((a) => a.id === "default:JPY")?.available.toFixed()).toBe("500");
    expect(await getTopUp(honest.topUpId)).toMatchObject({ review: null, credit_amount: 500 });

    const cents = await startTopUp(500, "JPY");
    const genuine = payHeld(cents.sessionId);
    expect(genuine.data.object).toMatchObject({ amount_total: 500, currency: "jpy" });
    expect((await deliver(withSession(genuine, `evt_yen_cents_${cents.topUpId}`, { amount_total: 50000 }))).body).toMatchObject({ outcome: "held_for_review" });
    expect(await readWallet(cents.customerId)).toEqual([]);
    expect(await verifyLedger(honest.customerId)).toEqual([]);
    expect([reviewLog.held(honest.topUpId), reviewLog.held(cents.topUpId)]).toEqual([false, true]);
  });

  it("an operator credits a held top-up once checked at Stripe, or rejects it (failed, nothing credited)", async () => {
    const reviewLog = captureReviewLog();
    const good = await startTopUp(20);
    const genuine = payHeld(good.sessionId);
    await deliver(withSession(genuine, `evt_review_credit_${good.topUpId}`, { amount_total: 1999 }));
    const openIds = async () => (await listOpenTopUpReviews()).map((r) => r.id);
    expect(await openIds()).toContain(good.topUpId);
    await resolveTopUpReview(good.topUpId, "credit");
    expect(await openIds()).not.toContain(good.topUpId);
    expect(await getTopUp(good.topUpId)).toMatchObject({ status: "succeeded", grant_id: expect.stringMatching(/^grant_/), review: { reason: "amount_mismatch", resolution: "credited", resolved_at: expect.any(String) } });
    const [again] = await harness.emulator.deliver([genuine.id]);
    expect(JSON.parse(again!.response_body!)).toMatchObject({ outcome: "already_credited" });
    expect((await readWallet(good.customerId))[0]!.available.toFixed()).toBe("20");
    await expect(resolveTopUpReview(good.topUpId, "credit")).rejects.toThrow(/no open review/);

    const bad = await startTopUp(20);
    const other = payHeld(bad.sessionId);
    await deliver(withSession(other, `evt_review_reject_${bad.topUpId}`, { currency: "gbp" }));
    await resolveTopUpReview(bad.topUpId, "reject");
    expect(await getTopUp(bad.topUpId)).toMatchObject({ status: "failed", grant_id: null, review: { reason: "currency_mismatch", resolution: "rejected" } });
    // Rejected for good: the genuine event afterwards credits nothing either.
    const [late] = await harness.emulator.deliver([other.id]);
    expect(JSON.parse(late!.response_body!)).toMatchObject({ outcome: "held_for_review" });
    expect(await getTopUp(bad.topUpId)).toMatchObject({ status: "failed", grant_id: null });
    expect(await creditCount(bad.customerId)).toBe(0);
    expect(await verifyLedger(good.customerId)).toEqual([]);
    expect([reviewLog.held(good.topUpId), reviewLog.held(bad.topUpId)]).toEqual([true, true]);
  });
});

describe("refunds are checked against the top-up", () => {
  function refundEvent(id: string, paymentIntent: string, charge: Partial<Stripe.Charge>) {
    return {
      id,
      object: "event",
      type: "charge.refunded",
      data: { object: { id: `ch_${id}`, object: "charge", payment_intent: paymentIntent, currency: "usd", amount: 2000, amount_refunded: 2000, ...charge } },
    };
  }

  async function paidTopUp(amount = 20) {
    const started = await startTopUp(amount);
    harness.emulator.pay(started.sessionId);
    await waitFor(async () => (await getTopUp(started.topUpId)).status === "succeeded", "the payment to settle");
    const row = await prisma().topUp.findUniqueOrThrow({ where: { id: started.topUpId } });
    return { ...started, paymentIntentId: row.paymentIntentId! };
  }

  it("a refund larger than the payment reverses nothing, answers 200 and flags the top-up", async () => {
    const reviewLog = captureReviewLog();
    const { customerId, topUpId, paymentIntentId } = await paidTopUp(20);
    const answer = await deliver(refundEvent(`evt_refund_big_${topUpId}`, paymentIntentId, { amount: 2000, amount_refunded: 200000 }));
    expect(answer).toMatchObject({ status: 200, body: { outcome: "flagged_for_review" } });
    expect(await getTopUp(topUpId)).toMatchObject({ status: "succeeded", refunded_amount: 0, review: { reason: "refund_exceeds_payment" } });
    expect((await readWallet(customerId))[0]!.available.toFixed()).toBe("20");
    // A refund the charge itself says exceeds it is refused the same way.
    const overCharge = await deliver(refundEvent(`evt_refund_charge_${topUpId}`, paymentIntentId, { amount: 1000, amount_refunded: 1500 }));
    expect(overCharge.body).toMatchObject({ outcome: "flagged_for_review" });
    expect((await readWallet(customerId))[0]!.available.toFixed()).toBe("20");
    expect(await verifyLedger(customerId)).toEqual([]);
    expect(reviewLog.lines().filter((line) => line.includes(`top-up ${topUpId} held (refund_exceeds_payment)`))).toHaveLength(2);
  });

  it("a refund in another currency reverses nothing, answers 200 and flags the top-up", async () => {
    const reviewLog = captureReviewLog();
    const { customerId, topUpId, paymentIntentId } = await paidTopUp(20);
    const answer = await deliver(refundEvent(`evt_refund_eur_${topUpId}`, paymentIntentId, { currency: "eur", amount_refunded: 1000 }));
    expect(answer).toMatchObject({ status: 200, body: { outcome: "flagged_for_review" } });
    expect(await getTopUp(topUpId)).toMatchObject({ refunded_amount: 0, review: { reason: "currency_mismatch", detail: expect.stringContaining("EUR") } });
    expect((await readWallet(customerId))[0]!.available.toFixed()).toBe("20");
    // A correct refund still takes the credit back (the safe direction).
    const honest = await deliver(refundEvent(`evt_refund_ok_${topUpId}`, paymentIntentId, { amount_refunded: 500 }));
    expect(honest.body).toMatchObject({ outcome: "reversed" });
    expect((await readWallet(customerId))[0]!.available.toFixed()).toBe("15");
    expect(reviewLog.held(topUpId)).toBe(true);
  });

  it("a later finding on a top-up an operator credited keeps that decision under the new review", async () => {
    const reviewLog = captureReviewLog();
    const { customerId, topUpId, sessionId } = await startTopUp(20);
    const genuine = payHeld(sessionId);
    await deliver(withSession(genuine, `evt_kept_${topUpId}`, { amount_total: 1999 }));
    await resolveTopUpReview(topUpId, "credit");
    const paymentIntent = (genuine.data.object as { payment_intent?: string }).payment_intent!;
    const answer = await deliver(refundEvent(`evt_kept_refund_${topUpId}`, paymentIntent, { currency: "eur", amount_refunded: 500 }));
    expect(answer.body).toMatchObject({ outcome: "flagged_for_review" });
    expect(await getTopUp(topUpId)).toMatchObject({
      status: "succeeded",
      review: { reason: "currency_mismatch", previous: { reason: "amount_mismatch", resolution: "credited", resolved_at: expect.any(String) } },
    });
    expect((await readWallet(customerId))[0]!.available.toFixed()).toBe("20");
    expect(reviewLog.held(topUpId)).toBe(true);
  });

  it("a refund of a top-up held for review is recorded only", async () => {
    const reviewLog = captureReviewLog();
    const { customerId, topUpId, sessionId } = await startTopUp(20);
    const genuine = payHeld(sessionId);
    await deliver(withSession(genuine, `evt_held_${topUpId}`, { amount_total: 1 }));
    const paymentIntent = (genuine.data.object as { payment_intent?: string }).payment_intent!;
    const answer = await deliver(refundEvent(`evt_held_refund_${topUpId}`, paymentIntent, { amount_refunded: 2000 }));
    expect(answer).toMatchObject({ status: 200, body: { outcome: "nothing_to_reverse" } });
    expect(await getTopUp(topUpId)).toMatchObject({ status: "initiated", grant_id: null, refunded_amount: 20, review: { reason: "amount_mismatch" } });
    expect(await readWallet(customerId)).toEqual([]);
    await expect(resolveTopUpReview(topUpId, "credit")).rejects.toThrow(/refunded/);
    expect(reviewLog.held(topUpId)).toBe(true);
  });
});

describe("signature timestamps", () => {
  it("refuses a signature dated more than 5 minutes ahead or behind with a 400 that writes nothing; inside the window it credits", async () => {
    const { customerId, topUpId, sessionId } = await startTopUp(20);
    const genuine = payHeld(sessionId);
    const now = Math.floor(Date.now() / 1000);
    for (const timestamp of [now + 6 * 60, now + 24 * 3600, now - 6 * 60]) {
      const answer = await deliver(genuine, { timestamp });
      expect({ timestamp, status: answer.status, type: answer.body.type }).toEqual({ timestamp, status: 400, type: "https://drawdown.dev/problems/invalid_signature" });
    }
    expect(await recorded(genuine.id)).toBe(false);
    expect(await getTopUp(topUpId)).toMatchObject({ status: "initiated", review: null });
    expect(await readWallet(customerId)).toEqual([]);
    const inside = await deliver(genuine, { timestamp: now + 60 });
    expect(inside).toMatchObject({ status: 200, body: { outcome: "credited" } });
    expect((await readWallet(customerId))[0]!.available.toFixed()).toBe("20");
  });
});
