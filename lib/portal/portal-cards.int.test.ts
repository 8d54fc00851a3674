import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, pool, prisma } from "@/lib/db";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { credit } from "@/lib/ledger";
import { Dec } from "@/lib/money";
import { defaultCard, ensureStripeCustomer } from "@/lib/payment-methods";
import { stripeClient } from "@/lib/stripe/client";
import { startStripeHarness, type StripeHarness } from "@/lib/top-ups/testing/stripe-harness";
import { createTestCustomer, createTestPlatform } from "@/test/factories";
import { updateAutoTopUpDefaults } from "@/lib/auto-top-ups/auto-top-up-defaults";
import { listPortalAutoTopUps, savePortalAutoTopUp } from "./portal-auto-top-up";
import { listPortalCards, makePortalCardDefault, removePortalCard, startPortalCardSetup } from "./portal-cards";
import { listPortalTopUps } from "./portal-history";
import { startPortalTopUp } from "./portal-top-up";

/**
 * Saved cards and the auto top-up form, through the real Stripe SDK against the emulator.
 * Cards are attached as real Stripe's tests attach them: `paymentMethods.attach("pm_card_visa", …)`
 * makes a new card from Stripe's ready-made test PaymentMethod.
 */

let harness: StripeHarness;
beforeAll(async () => {
  harness = await startStripeHarness();
});
afterAll(async () => {
  await harness.close();
  await closeDb();
});

async function customer() {
  const p = await createTestPlatform();
  const c = await createTestCustomer(p.platformId);
  return { tenant: { platformId: p.platformId, liveMode: false }, customerId: c.customerId };
}

async function saveCard(tenant: { platformId: string; liveMode: boolean }, customerId: string, testCard = "pm_card_visa") {
  const stripeCustomer = await ensureStripeCustomer(tenant, customerId);
  return stripeClient().paymentMethods.attach(testCard, { customer: stripeCustomer });
}

const form = { enabled: true, threshold: new Dec(5), amount: new Dec(20), monthly_cap: new Dec(100) };

describe("saved cards", () => {
  it("lists no cards, and makes no Stripe customer, for a customer who never saved one", async () => {
    const { tenant, customerId } = await customer();
    expect(await listPortalCards(tenant, customerId)).toEqual([]);
    const row = await prisma().customer.findUniqueOrThrow({ where: { id: customerId } });
    expect(row.stripeCustomerId).toBeNull();
  });

  it("lists cards with brand, last 4 and expiry; the newest is the default until one is chosen", async () => {
    const { tenant, customerId } = await customer();
    const visa = await saveCard(tenant, customerId, "pm_card_visa");
    const mastercard = await saveCard(tenant, customerId, "pm_card_mastercard");
    const cards = await listPortalCards(tenant, customerId);
    expect(cards.map((c) => [c.id, c.brand, c.last4, c.is_default])).toEqual([
      [mastercard.id, "mastercard", "4444", true],
      [visa.id, "visa", "4242", false],
    ]);
    expect(cards[0]!.exp_year).toBeGreaterThanOrEqual(new Date().getUTCFullYear());

    expect(await makePortalCardDefault(tenant, customerId, visa.id)).toMatchObject({ id: visa.id, is_default: true });
    expect((await defaultCard(tenant, customerId))?.id).toBe(visa.id);
    expect((await listPortalCards(tenant, customerId)).map((c) => c.is_default)).toEqual([false, true]);
  });

  it("treats another customer's card as not found", async () => {
    const a = await customer();
    const b = await customer();
    const theirs = await saveCard(b.tenant, b.customerId);
    await expect(makePortalCardDefault(a.tenant, a.customerId, theirs.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(removePortalCard(a.tenant, a.customerId, theirs.id)).rejects.toBeInstanceOf(NotFoundError);
    expect(await listPortalCards(b.tenant, b.customerId)).toHaveLength(1);
  });

  it("opens a setup-mode Checkout for the customer's Stripe customer that comes back to the Top up page", async () => {
    const { tenant, customerId } = await customer();
    const { redirect_url } = await startPortalCardSetup(tenant, customerId);
    const sessionId = new URL(redirect_url).pathname.split("/").pop()!;
    const session = await stripeClient().checkout.sessions.retrieve(sessionId);
    expect(session.mode).toBe("setup");
    expect(session.customer).toBe(await ensureStripeCustomer(tenant, customerId));
    expect(session.success_url).toMatch(/\/portal\/top-up\?card=saved$/);
    expect(session.cancel_url).toMatch(/\/portal\/top-up\?card=cancelled$/);
  });

  it("saves the paying card when the customer ticks \"save this card\" on a top-up", async () => {
    const { tenant, customerId } = await customer();
    const { redirect_url } = await startPortalTopUp(tenant, customerId, { account_id: "default:USD", amount: new Dec(20), save_card: true });
    const sessionId = new URL(redirect_url).pathname.split("/").pop()!;
    const session = await stripeClient().checkout.sessions.retrieve(sessionId);
    expect(session.customer).toBe(await ensureStripeCustomer(tenant, customerId));
    harness.emulator.pay(sessionId);
    const cards = await listPortalCards(tenant, customerId);
    expect(cards.map((c) => [c.last4, c.is_default])).toEqual([["4242", true]]);
  });

  it("does not save the card of a top-up without the tick", async () => {
    const { tenant, customerId } = await customer();
    const { redirect_url } = await startPortalTopUp(tenant, customerId, { account_id: "default:USD", amount: new Dec(20) });
    harness.emulator.pay(new URL(redirect_url).pathname.split("/").pop()!);
    expect(await listPortalCards(tenant, customerId)).toEqual([]);
  });
});

describe("the auto top-up form", () => {
  it("suggests $5 / $20 / $100 before the first save", async () => {
    const { tenant, customerId } = await customer();
    const [usd] = await listPortalAutoTopUps(tenant, customerId);
    expect(usd).toMatchObject({
      account_id: "default:USD",
      configured: false,
      enabled: false,
      suggested: { threshold: "5", amount: "20", monthly_cap: "100" },
      last_failure: null,
    });
  });

  it("suggests the platform's auto top-up defaults when it set them; saved settings are the customer's own", async () => {
    const { tenant, customerId } = await customer();
    await updateAutoTopUpDefaults(tenant.platformId, { threshold: new Dec("7.5"), amount: new Dec(30), monthlyCap: new Dec(90) });
    const [usd] = await listPortalAutoTopUps(tenant, customerId);
    expect(usd).toMatchObject({ configured: false, threshold: null, suggested: { threshold: "7.5", amount: "30", monthly_cap: "90" } });

    await saveCard(tenant, customerId);
    const saved = await savePortalAutoTopUp(tenant, customerId, "default:USD", form);
    expect(saved).toMatchObject({ configured: true, threshold: form.threshold.toFixed(), amount: form.amount.toFixed() });
    // cleared: back to the built-in suggestion
    await updateAutoTopUpDefaults(tenant.platformId, { threshold: null, amount: null, monthlyCap: null });
    expect((await listPortalAutoTopUps(tenant, customerId))[0]!.suggested).toEqual({ threshold: "5", amount: "20", monthly_cap: "100" });
  });

  it("refuses to enable without a saved card, with a field error, and writes nothing", async () => {
    const { tenant, customerId } = await customer();
    const error = await savePortalAutoTopUp(tenant, customerId, "default:USD", form).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors.map((e) => e.field)).toContain("payment_method_id");
    expect(await prisma().autoTopUpSettings.count({ where: { customerId } })).toBe(0);
  });

  it("shows each bad field's error at once, and writes nothing", async () => {
    const { tenant, customerId } = await customer();
    await saveCard(tenant, customerId);
    const error = (await savePortalAutoTopUp(tenant, customerId, "default:USD", {
      ...form,
      threshold: new Dec(0),
      amount: new Dec(30),
      monthly_cap: new Dec(20),
    }).catch((e: unknown) => e)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.errors.map((e) => e.field).sort()).toEqual(["monthly_cap", "threshold"]);
    expect(await prisma().autoTopUpSettings.count({ where: { customerId } })).toBe(0);
  });

  it("refuses another customer's card and an account that cannot be topped up", async () => {
    const a = await customer();
    const b = await customer();
    await saveCard(a.tenant, a.customerId);
    const theirs = await saveCard(b.tenant, b.customerId);
    const error = (await savePortalAutoTopUp(a.tenant, a.customerId, "default:USD", { ...form, payment_method_id: theirs.id }).catch((e: unknown) => e)) as ValidationError;
    expect(error.errors.map((e) => e.field)).toEqual(["payment_method_id"]);
    await expect(savePortalAutoTopUp(a.tenant, a.customerId, "default:NOPE", form)).rejects.toBeInstanceOf(NotFoundError);
    expect(await prisma().autoTopUpSettings.count({ where: { customerId: a.customerId } })).toBe(0);
  });

  it("saves with the default card, and removing that card switches auto top-up off", async () => {
    const { tenant, customerId } = await customer();
    const card = await saveCard(tenant, customerId);
    const saved = await savePortalAutoTopUp(tenant, customerId, "default:USD", form);
    expect(saved).toMatchObject({
      configured: true,
      enabled: true,
      threshold: "5",
      amount: "20",
      monthly_cap: "100",
      payment_method_id: card.id,
      currency: { code: "USD" },
      disabled_reason: null,
      spent_this_month: "0",
    });

    await removePortalCard(tenant, customerId, card.id);
    expect(await listPortalCards(tenant, customerId)).toEqual([]);
    const [usd] = await listPortalAutoTopUps(tenant, customerId);
    expect(usd).toMatchObject({ enabled: false, disabled_reason: "card_removed" });
  });

  it("shows the newest attempt when it failed or was capped, until a later one succeeds", async () => {
    const { tenant, customerId } = await customer();
    await saveCard(tenant, customerId);
    // Funded above the threshold, so switching it on records no request of its own.
    await credit(customerId, { idempotencyKey: `fund:${customerId}`, accountName: "default", asset: "USD", amount: new Dec(50), purpose: "promotion" });
    await savePortalAutoTopUp(tenant, customerId, "default:USD", form);
    const insert = (id: string, status: string, minutesAgo: number, code: string | null, message: string | null) =>
      pool().query(
        `INSERT INTO auto_top_ups (id, customer_id, account_name, asset, status, amount, currency, failure_code, failure_message, created_at, updated_at)
         VALUES ($1, $2, 'default', 'USD', $3, 20, 'USD', $4, $5, now() - make_interval(mins => $6), now())`,
        [id, customerId, status, code, message, minutesAgo],
      );
    await insert(`atu_${customerId.slice(5)}a`, "failed", 10, "card_declined", "Your card was declined.");
    let [usd] = await listPortalAutoTopUps(tenant, customerId);
    expect(usd!.last_failure).toMatchObject({ status: "failed", code: "card_declined", message: "Your card was declined.", amount: "20" });

    await insert(`atu_${customerId.slice(5)}b`, "succeeded", 5, null, null);
    [usd] = await listPortalAutoTopUps(tenant, customerId);
    expect(usd!.last_failure).toBeNull();
    // The cap's figure: succeeded auto top-ups of this calendar month only.
    expect(usd!.spent_this_month).toBe("20");

    await insert(`atu_${customerId.slice(5)}c`, "capped", 1, "monthly_cap_reached", null);
    [usd] = await listPortalAutoTopUps(tenant, customerId);
    expect(usd!.last_failure).toMatchObject({ status: "capped", message: "This month's auto top-up cap is reached." });
  });
});

describe("the top-up history", () => {
  it("marks the top-ups auto top-up made", async () => {
    const { tenant, customerId } = await customer();
    const topUp = (id: string, automatic: boolean, createdAt: Date) =>
      prisma().topUp.create({
        data: {
          id,
          customerId,
          platformId: tenant.platformId,
          liveMode: false,
          status: "succeeded",
          amount: "20",
          currency: "USD",
          accountName: "default",
          asset: "USD",
          exchangeRate: "1",
          creditAmount: "20",
          automatic,
          expiresAt: new Date(Date.now() + 3_600_000),
          createdAt,
        },
      });
    await topUp(`top_${customerId.slice(5)}m`, false, new Date(Date.now() - 60_000));
    await topUp(`top_${customerId.slice(5)}a`, true, new Date());
    const page = await listPortalTopUps(tenant, customerId, { limit: 10, offset: 0 });
    expect(page.items.map((t) => t.automatic)).toEqual([true, false]);
  });
});
