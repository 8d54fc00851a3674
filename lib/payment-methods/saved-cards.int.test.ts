import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, prisma } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { stripeClient } from "@/lib/stripe/client";
import type { Tenant } from "@/lib/tenant";
import { startStripeHarness, type StripeHarness } from "@/lib/top-ups/testing/stripe-harness";
import { createTestCustomer, createTestPlatform } from "@/test/factories";
import { defaultCard, ensureStripeCustomer, findCustomerCard, listSavedCards, removeCard, setDefaultCard, startCardSetup } from ".";

/**
 * lib/payment-methods through the real Stripe SDK against the emulator. Cards are attached
 * the way tests against real Stripe attach them: `paymentMethods.attach("pm_card_visa", …)`.
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
  return { tenant: { platformId: p.platformId, liveMode: false } as Tenant, customerId: c.customerId };
}

async function attach(tenant: Tenant, customerId: string, testCard = "pm_card_visa") {
  return stripeClient().paymentMethods.attach(testCard, { customer: await ensureStripeCustomer(tenant, customerId) });
}

describe("the Stripe customer", () => {
  it("is made once per customer, also when requests race, and stored on it", async () => {
    const { tenant, customerId } = await customer();
    const ids = await Promise.all(Array.from({ length: 5 }, () => ensureStripeCustomer(tenant, customerId)));
    expect(new Set(ids).size).toBe(1);
    expect((await prisma().customer.findUniqueOrThrow({ where: { id: customerId } })).stripeCustomerId).toBe(ids[0]);
    const stripeCustomer = (await stripeClient().customers.retrieve(ids[0]!)) as Stripe.Customer;
    expect(stripeCustomer.metadata.customer_id).toBe(customerId);
  });

  it("is not made just to list cards: no Stripe customer, no cards, no default", async () => {
    const { tenant, customerId } = await customer();
    expect(await listSavedCards(tenant, customerId)).toEqual([]);
    expect(await defaultCard(tenant, customerId)).toBeNull();
    expect((await prisma().customer.findUniqueOrThrow({ where: { id: customerId } })).stripeCustomerId).toBeNull();
  });

  it("is another platform's business: its customer is not found", async () => {
    const { customerId } = await customer();
    const other = await customer();
    await expect(ensureStripeCustomer(other.tenant, customerId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(listSavedCards(other.tenant, customerId)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("saved cards", () => {
  it("are listed newest first with brand, last 4 and expiry; the newest is the default until one is chosen", async () => {
    const { tenant, customerId } = await customer();
    const visa = await attach(tenant, customerId, "pm_card_visa");
    const mastercard = await attach(tenant, customerId, "pm_card_mastercard");
    const cards = await listSavedCards(tenant, customerId);
    expect(cards.map((c) => [c.id, c.brand, c.last4, c.isDefault])).toEqual([
      [mastercard.id, "mastercard", "4444", true],
      [visa.id, "visa", "4242", false],
    ]);
    expect(cards[0]!.expMonth).toBeGreaterThanOrEqual(1);

    await setDefaultCard(tenant, customerId, visa.id);
    expect((await defaultCard(tenant, customerId))?.id).toBe(visa.id);
    const stripeCustomer = (await stripeClient().customers.retrieve(await ensureStripeCustomer(tenant, customerId))) as Stripe.Customer;
    expect(stripeCustomer.invoice_settings.default_payment_method).toBe(visa.id);

    await removeCard(tenant, customerId, visa.id);
    expect((await listSavedCards(tenant, customerId)).map((c) => [c.id, c.isDefault])).toEqual([[mastercard.id, true]]);
  });

  it("of another customer are unknown: not found, and nothing changes", async () => {
    const a = await customer();
    const b = await customer();
    const theirs = await attach(b.tenant, b.customerId);
    await attach(a.tenant, a.customerId);
    expect(await findCustomerCard(a.tenant, a.customerId, theirs.id)).toBeNull();
    expect(await findCustomerCard(a.tenant, a.customerId, "pm_nope")).toBeNull();
    expect(await findCustomerCard(a.tenant, a.customerId, "../../v1/customers")).toBeNull();
    await expect(setDefaultCard(a.tenant, a.customerId, theirs.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(removeCard(a.tenant, a.customerId, theirs.id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await listSavedCards(b.tenant, b.customerId)).map((c) => c.id)).toEqual([theirs.id]);
  });

  it("are added through a setup-mode Checkout for the customer's Stripe customer", async () => {
    const { tenant, customerId } = await customer();
    const { url } = await startCardSetup(tenant, customerId, { successUrl: "https://app.example/ok", cancelUrl: "https://app.example/no" });
    const session = await stripeClient().checkout.sessions.retrieve(new URL(url).pathname.split("/").pop()!);
    expect(session).toMatchObject({ mode: "setup", customer: await ensureStripeCustomer(tenant, customerId), success_url: "https://app.example/ok" });
  });
});
