import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { POST as webhookRoute } from "@/app/api/stripe/webhook/route";
import { createAsset } from "@/lib/catalog/create-asset";
import { closeDb, pool, prisma } from "@/lib/db";
import { ValidationError } from "@/lib/errors";
import { charge, credit, readWallet, runInCustomerBatch, verifyLedger } from "@/lib/ledger";
import { Dec } from "@/lib/money";
import { ensureStripeCustomer } from "@/lib/payment-methods";
import { stripeClient } from "@/lib/stripe/client";
import { signedWebhookRequest, startStripeHarness, type StripeHarness } from "@/lib/top-ups/testing/stripe-harness";
import { createTestCustomer, createTestPlatform, type TestPlatform } from "@/test/factories";
import { processAutoTopUps, updateAutoTopUpSettings, type AutoTopUpSettingsInput } from ".";
import { createAutomaticTopUp, creditPaidTopUp } from "@/lib/top-ups";

/**
 * Auto top-up end to end against real PostgreSQL and the Stripe emulator (through the
 * real `stripe` SDK; its webhooks reach the real route): the ledger batch that crosses the
 * threshold records one request, the job pays it off-session with the saved card, and the
 * wallet is credited once however the payment's news arrives.
 */

let harness: StripeHarness;
let platform: TestPlatform;

beforeAll(async () => {
  harness = await startStripeHarness();
  platform = await createTestPlatform("Auto top-ups");
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

const ACCOUNT = "default:USD";
let keyCounter = 0;

/** A customer with `card` (a Stripe test PaymentMethod, e.g. pm_card_visa) saved and `balance` USD. */
async function customerWithCard(card = "pm_card_visa", balance = 10) {
  const { customerId } = await createTestCustomer(platform.platformId);
  const stripeCustomer = await ensureStripeCustomer(platform, customerId);
  const method = await stripeClient().paymentMethods.attach(card, { customer: stripeCustomer });
  if (balance > 0) await deposit(customerId, balance);
  return { customerId, paymentMethodId: method.id };
}

function deposit(customerId: string, amount: number) {
  return credit(customerId, { idempotencyKey: `deposit:${++keyCounter}`, accountName: "default", asset: "USD", amount: new Dec(amount), purpose: "promotion" });
}

function spend(customerId: string, amount: number | string) {
  return charge(customerId, { idempotencyKey: `spend:${++keyCounter}`, legs: [{ accountName: "default", asset: "USD", amount: new Dec(amount) }] });
}

/** Reserves `amount` USD on the default account (a hold, as lib/holds makes them). */
function hold(customerId: string, reference: string, amount: number) {
  return runInCustomerBatch(customerId, {
    idempotencyKeys: [],
    holdKeys: [reference],
    apply: (w) => w.createHold({ reference, requestHash: reference, legs: [{ accountName: "default", asset: "USD", amount: new Dec(amount) }], expiresAt: new Date(Date.now() + 600_000) }),
  });
}

function settings(overrides: Partial<AutoTopUpSettingsInput> = {}): AutoTopUpSettingsInput {
  return { enabled: true, threshold: new Dec(5), amount: new Dec(20), monthlyCap: new Dec(100), ...overrides };
}

async function enable(customerId: string, overrides: Partial<AutoTopUpSettingsInput> = {}) {
  return updateAutoTopUpSettings(platform, customerId, ACCOUNT, settings(overrides));
}

async function balance(customerId: string): Promise<string | undefined> {
  return (await readWallet(customerId)).find((a) => a.id === ACCOUNT)?.available.toFixed();
}

function requests(customerId: string) {
  return prisma().autoTopUp.findMany({ where: { customerId }, orderBy: { createdAt: "asc" } });
}

async function webhookTypes(customerId: string): Promise<string[]> {
  const { rows } = await pool().query<{ type: string }>(`SELECT type FROM webhook_events WHERE customer_id = $1 ORDER BY created_at, type`, [customerId]);
  return rows.map((r) => r.type);
}

async function paidCredits(customerId: string): Promise<number> {
  const { rows } = await pool().query<{ n: string }>(`SELECT count(*) AS n FROM credit_grants WHERE customer_id = $1 AND purpose = 'paid'`, [customerId]);
  return Number(rows[0]!.n);
}

/** The customer's payments Stripe took (one `payment_intent.succeeded` each). */
function paymentIntentsOf(customerId: string) {
  return harness.emulator
    .events("payment_intent.succeeded")
    .map((e) => e.data.object as { id: string; metadata?: Record<string, string> })
    .filter((pi) => pi.metadata?.customer_id === customerId);
}

/** Runs the job until this customer's requests have all ended (other files' requests may be processed too). */
async function runJob(customerId: string) {
  await processAutoTopUps();
  return requests(customerId);
}

describe("settings", () => {
  it("refuses bad input with field errors and writes nothing", async () => {
    const { customerId, paymentMethodId } = await customerWithCard();
    const other = await customerWithCard();
    const cases: [Partial<AutoTopUpSettingsInput>, string][] = [
      [{ threshold: new Dec(0) }, "threshold"],
      [{ amount: new Dec(-1) }, "amount"],
      [{ amount: new Dec("0.49") }, "amount"],
      [{ amount: new Dec("20.001") }, "amount"],
      [{ monthlyCap: new Dec(10) }, "monthly_cap"],
      [{ currency: "XYZ" }, "currency"],
      [{ paymentMethodId: other.paymentMethodId }, "payment_method_id"],
    ];
    for (const [override, field] of cases) {
      const error = await enable(customerId, override).catch((e: unknown) => e);
      expect(error, field).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).errors.map((e) => e.field)).toContain(field);
    }
    const noCard = await createTestCustomer(platform.platformId);
    const error = await enable(noCard.customerId).catch((e: unknown) => e);
    expect((error as ValidationError).errors.map((e) => e.field)).toEqual(["payment_method_id"]);
    const otherPlatform = await createTestPlatform("Someone else");
    await expect(updateAutoTopUpSettings(otherPlatform, customerId, ACCOUNT, settings())).rejects.toMatchObject({ code: "not_found" });
    expect(await prisma().autoTopUpSettings.count({ where: { customerId: { in: [customerId, noCard.customerId] } } })).toBe(0);

    const saved = await enable(customerId);
    expect(saved).toMatchObject({ enabled: true, currency: "USD", paymentMethodId, consecutiveFailures: 0 });
  });
});

describe("trigger and payment", () => {
  it("a crossing records one request; the job pays it and credits the wallet once, as an automatic top-up", async () => {
    const { customerId, paymentMethodId } = await customerWithCard();
    await enable(customerId);
    await spend(customerId, 4); // 10 → 6: above the threshold
    expect(await requests(customerId)).toEqual([]);
    await spend(customerId, 2); // 6 → 4: crosses 5
    await spend(customerId, 1); // 4 → 3: still below, no new crossing
    const [pending, ...more] = await requests(customerId);
    expect(more).toEqual([]);
    expect(pending).toMatchObject({ status: "pending", accountName: "default", asset: "USD", currency: "USD" });
    expect(pending!.amount.toFixed()).toBe("20");

    const [done] = await runJob(customerId);
    expect(done).toMatchObject({ status: "succeeded", failureCode: null });
    expect(await balance(customerId)).toBe("23");
    const topUp = await prisma().topUp.findUniqueOrThrow({ where: { id: done!.topUpId! } });
    expect(topUp).toMatchObject({ status: "succeeded", automatic: true, paymentIntentId: done!.paymentIntentId, accountName: "default" });
    const pi = await stripeClient().paymentIntents.retrieve(done!.paymentIntentId!);
    expect(pi).toMatchObject({ status: "succeeded", amount: 2000, currency: "usd", payment_method: paymentMethodId });

    await harness.emulator.webhooksIdle(); // payment_intent.succeeded also reached the route
    expect(await paidCredits(customerId)).toBe(1);
    expect(await balance(customerId)).toBe("23");
    expect(await webhookTypes(customerId)).toEqual(expect.arrayContaining(["auto_top_up.succeeded", "top_up.succeeded"]));
    expect((await webhookTypes(customerId)).filter((t) => t === "auto_top_up.succeeded")).toHaveLength(1);
    const { rows } = await pool().query<{ data: unknown }>(`SELECT data FROM webhook_events WHERE customer_id = $1 AND type = 'auto_top_up.succeeded'`, [customerId]);
    expect(rows[0]!.data).toEqual({
      id: done!.id,
      customer_id: customerId,
      account_id: "default:USD",
      asset: "USD",
      status: "succeeded",
      amount: 20,
      currency: "USD",
      credit_amount: 20,
      top_up_id: done!.topUpId,
      payment_intent_id: done!.paymentIntentId,
      failure_code: null,
      failure_message: null,
      created_at: done!.createdAt.toISOString(),
    });
    expect(await verifyLedger(customerId)).toEqual([]);
  });

  it("a hold that takes the available balance below the threshold records a request, like a charge", async () => {
    const { customerId } = await customerWithCard();
    await enable(customerId);
    await hold(customerId, "h1", 4); // available 10 → 6: above the threshold
    expect(await requests(customerId)).toEqual([]);
    await hold(customerId, "h2", 2); // 6 → 4: crosses 5, the balance still 10
    await spend(customerId, 1); // 4 → 3: still below, no new crossing
    const [pending, ...more] = await requests(customerId);
    expect(more).toEqual([]);
    expect(pending).toMatchObject({ status: "pending", accountName: "default", asset: "USD" });
    const [done] = await runJob(customerId);
    expect(done).toMatchObject({ status: "succeeded" });
    expect(await balance(customerId)).toBe("23"); // 9 + 20 − 6 held
    expect(await verifyLedger(customerId)).toEqual([]);
  });

  it("a custom asset is credited through its rate, as a manual top-up", async () => {
    const { customerId } = await customerWithCard("pm_card_visa", 0);
    await credit(customerId, { idempotencyKey: `tok:${++keyCounter}`, accountName: "default", asset: "TOK", amount: new Dec(150), purpose: "promotion" });
    const s = await updateAutoTopUpSettings(platform, customerId, "default:TOK", settings({ threshold: new Dec(100) }));
    expect(s.currency).toBe("USD"); // a custom asset pays in USD unless told otherwise
    await charge(customerId, { idempotencyKey: `tok:${++keyCounter}`, legs: [{ accountName: "default", asset: "TOK", amount: new Dec(60) }] });
    const [done] = await runJob(customerId);
    expect(done).toMatchObject({ status: "succeeded", currency: "USD" });
    expect(done!.creditAmount?.toFixed()).toBe("400"); // $20 at $0.05 a token
    expect((await readWallet(customerId)).find((a) => a.id === "default:TOK")?.available.toFixed()).toBe("490");
  });

  it("a request that can no longer be converted is skipped with its reason, not retried forever", async () => {
    const { customerId } = await customerWithCard();
    await enable(customerId);
    await spend(customerId, 6);
    await pool().query(`UPDATE auto_top_ups SET currency = 'XYZ' WHERE customer_id = $1`, [customerId]);
    const [skipped] = await runJob(customerId);
    expect(skipped).toMatchObject({ status: "skipped", failureCode: "invalid_settings", topUpId: null });
    expect(paymentIntentsOf(customerId)).toHaveLength(0);
  });

  it("one in flight per account is the database's rule (the partial unique index), not the code's", async () => {
    const { customerId } = await createTestCustomer(platform.platformId);
    const insert = (id: string, status: string, asset = "USD") =>
      pool().query(`INSERT INTO auto_top_ups (id, customer_id, account_name, asset, status, amount, currency) VALUES ($1, $2, 'default', $4, $3, 20, 'USD')`, [
        `atu_${id}${customerId}`,
        customerId,
        status,
        asset,
      ]);
    await insert("a", "pending");
    await expect(insert("b", "processing")).rejects.toMatchObject({ code: "23505", constraint: "auto_top_ups_one_in_flight" });
    await expect(insert("c", "pending")).rejects.toMatchObject({ code: "23505" });
    await insert("d", "failed"); // ended attempts are history, any number of them
    await insert("e", "succeeded");
    await insert("f", "pending", "EUR"); // another account of the customer
  });

  it("100 concurrent charges that cross the threshold make one request and one payment", async () => {
    const { customerId } = await customerWithCard("pm_card_visa", 10);
    await enable(customerId);
    await Promise.all(Array.from({ length: 100 }, () => spend(customerId, "0.09")));
    expect(await balance(customerId)).toBe("1");
    expect(await requests(customerId)).toHaveLength(1);
    const [done] = await runJob(customerId);
    expect(done!.status).toBe("succeeded");
    expect(paymentIntentsOf(customerId)).toHaveLength(1);
    expect(await balance(customerId)).toBe("21");
  });

  it("payment_intent.succeeded replayed 5 times credits once", async () => {
    const { customerId } = await customerWithCard();
    await enable(customerId);
    await spend(customerId, 6);
    const [done] = await runJob(customerId);
    await harness.emulator.webhooksIdle();
    const [event] = harness.emulator.events("payment_intent.succeeded").filter((e) => (e.data.object as { id: string }).id === done!.paymentIntentId);
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await (await webhookRoute(signedWebhookRequest(event!))).json());
    expect(answers.map((a: { status: string }) => a.status)).toEqual(["duplicate", "duplicate", "duplicate", "duplicate", "duplicate"]);
    expect(await paidCredits(customerId)).toBe(1);
    expect(await balance(customerId)).toBe("24");
  });

  it("a crash between the payment and the credit is healed by the webhook, or by the reconciliation, once", async () => {
    for (const healer of ["webhook", "reconciliation"] as const) {
      const { customerId, paymentMethodId } = await customerWithCard();
      await enable(customerId);
      if (healer === "reconciliation") harness.emulator.configureWebhooks({ autoDeliver: false });
      await spend(customerId, 6);
      // What the job did before it died: claimed the request, made the top-up, got paid
      // (the job's own PaymentIntent call, same parameters and idempotency key).
      const [r] = await requests(customerId);
      await pool().query(`UPDATE auto_top_ups SET status = 'processing' WHERE id = $1`, [r!.id]);
      const topUp = await createAutomaticTopUp(platform, { customerId, accountName: "default", asset: "USD", amount: new Dec(20), currency: "USD", autoTopUpId: r!.id });
      await pool().query(`UPDATE auto_top_ups SET top_up_id = $2 WHERE id = $1`, [r!.id, topUp.id]);
      const stripeCustomer = await ensureStripeCustomer(platform, customerId);
      const pi = await stripeClient().paymentIntents.create(
        { amount: 2000, currency: "usd", customer: stripeCustomer, payment_method: paymentMethodId, off_session: true, confirm: true, description: "Auto top-up of default:USD", metadata: { auto_top_up_id: r!.id, top_up_id: topUp.id, customer_id: customerId } },
        { idempotencyKey: `auto-top-up:${r!.id}` },
      );
      expect(pi.status).toBe("succeeded");
      if (healer === "webhook") {
        await harness.emulator.webhooksIdle();
      } else {
        expect(await balance(customerId)).toBe("4");
        await processAutoTopUps({ reconcileAfterMs: 0 });
      }
      const [healed] = await requests(customerId);
      expect(healed, healer).toMatchObject({ status: "succeeded", paymentIntentId: pi.id });
      await processAutoTopUps({ reconcileAfterMs: 0 });
      harness.emulator.configureWebhooks({ autoDeliver: true });
      await harness.emulator.webhooksIdle();
      expect(await paidCredits(customerId), healer).toBe(1);
      expect(await balance(customerId), healer).toBe("24");
      expect(paymentIntentsOf(customerId), healer).toHaveLength(1);
    }
  });
});

describe("switched on below the threshold", () => {
  it("an empty wallet gets one refill at once; saving again while it is in flight pays nothing more", async () => {
    const { customerId } = await customerWithCard("pm_card_visa", 0);
    await enable(customerId);
    await enable(customerId, { monthlyCap: new Dec(200) });
    const [pending, ...more] = await requests(customerId);
    expect(more).toEqual([]);
    expect(pending).toMatchObject({ status: "pending" });
    const [done] = await runJob(customerId);
    expect(done).toMatchObject({ status: "succeeded" });
    expect(await balance(customerId)).toBe("20");
    // Above the threshold now: saving the settings again records nothing.
    await enable(customerId);
    expect(await requests(customerId)).toHaveLength(1);
    expect(await verifyLedger(customerId)).toEqual([]);
  });

  it("disabled settings saved below the threshold record nothing", async () => {
    const { customerId } = await customerWithCard("pm_card_visa", 0);
    await enable(customerId, { enabled: false });
    expect(await requests(customerId)).toEqual([]);
  });
});

describe("the next crossing", () => {
  it("the request ends in the credit's own transaction, so a crossing right after the refill records the next one", async () => {
    const { customerId } = await customerWithCard();
    await enable(customerId);
    harness.emulator.configureWebhooks({ autoDeliver: false });
    await spend(customerId, 6); // 10 → 4
    const [r] = await requests(customerId);
    await pool().query(`UPDATE auto_top_ups SET status = 'processing' WHERE id = $1`, [r!.id]);
    const topUp = await createAutomaticTopUp(platform, { customerId, accountName: "default", asset: "USD", amount: new Dec(20), currency: "USD", autoTopUpId: r!.id });
    await pool().query(`UPDATE auto_top_ups SET top_up_id = $2 WHERE id = $1`, [r!.id, topUp.id]);
    // The credit alone (as the webhook's handler makes it), before anything else runs.
    await creditPaidTopUp(topUp, { paymentIntentId: null, event: null, paid: { amountTotal: 2000, currency: "usd" } });
    expect((await requests(customerId))[0]).toMatchObject({ status: "succeeded" });
    expect(await balance(customerId)).toBe("24");
    await spend(customerId, 20); // 24 → 4: a new crossing
    const all = await requests(customerId);
    expect(all.map((x) => x.status)).toEqual(["succeeded", "pending"]);
    expect((await webhookTypes(customerId)).filter((t) => t === "auto_top_up.succeeded")).toHaveLength(1);
    expect(await prisma().autoTopUpSettings.findFirstOrThrow({ where: { customerId } })).toMatchObject({ consecutiveFailures: 0 });
  });
});

describe("failures and the cap", () => {
  for (const [card, code] of [
    ["pm_card_visa_chargeDeclined", "generic_decline"],
    ["pm_card_visa_chargeDeclinedInsufficientFunds", "insufficient_funds"],
    ["pm_card_authenticationRequired", "authentication_required"],
  ] as const) {
    it(`${code}: the attempt fails, the top-up fails, nothing is credited, the platform is told`, async () => {
      const { customerId } = await customerWithCard(card);
      await enable(customerId);
      await spend(customerId, 6);
      const [failed] = await runJob(customerId);
      expect(failed).toMatchObject({ status: "failed", failureCode: code });
      expect(failed!.failureMessage).toBeTruthy();
      expect(await prisma().topUp.findUniqueOrThrow({ where: { id: failed!.topUpId! } })).toMatchObject({ status: "failed", automatic: true });
      await harness.emulator.webhooksIdle(); // payment_intent.payment_failed changes nothing more
      expect(await balance(customerId)).toBe("4");
      expect(await paidCredits(customerId)).toBe(0);
      const types = await webhookTypes(customerId);
      expect(types.filter((t) => t === "auto_top_up.failed")).toHaveLength(1);
      expect(types.filter((t) => t === "top_up.failed")).toHaveLength(1);
      expect(await prisma().autoTopUpSettings.findFirstOrThrow({ where: { customerId } })).toMatchObject({ enabled: true, consecutiveFailures: 1 });
    });
  }

  it("three failures in a row switch auto top-up off; crossings then record nothing", async () => {
    const { customerId } = await customerWithCard("pm_card_visa_chargeDeclined");
    await enable(customerId);
    for (let i = 0; i < 3; i++) {
      await spend(customerId, 6); // 10 → 4
      await runJob(customerId);
      await deposit(customerId, 6); // back to 10
    }
    const s = await prisma().autoTopUpSettings.findFirstOrThrow({ where: { customerId } });
    expect(s).toMatchObject({ enabled: false, disabledReason: "failures", consecutiveFailures: 3 });
    expect((await webhookTypes(customerId)).filter((t) => t === "auto_top_up.disabled")).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 20)); // the cache invalidation is local and immediate; this is only for the NOTIFY
    await spend(customerId, 6);
    expect(await requests(customerId)).toHaveLength(3);
  });

  it("a payment that would pass the monthly cap is skipped as capped, and said so", async () => {
    const { customerId } = await customerWithCard();
    await enable(customerId, { monthlyCap: new Dec(30) });
    await spend(customerId, 6); // 10 → 4, refilled to 24
    expect((await runJob(customerId))[0]!.status).toBe("succeeded");
    await spend(customerId, 20); // 24 → 4
    const [, capped] = await runJob(customerId);
    expect(capped).toMatchObject({ status: "capped", failureCode: "monthly_cap_reached", topUpId: null, paymentIntentId: null });
    expect(paymentIntentsOf(customerId)).toHaveLength(1);
    expect(await balance(customerId)).toBe("4");
    expect((await webhookTypes(customerId)).filter((t) => t === "auto_top_up.capped")).toHaveLength(1);
  });
});
