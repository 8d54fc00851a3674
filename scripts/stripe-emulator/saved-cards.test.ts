import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import Stripe from "stripe";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startStripeEmulator, type StripeEmulator } from "./server";

/**
 * Saved cards and off-session payments (issue 14), end to end through the real `stripe`
 * SDK: Customers with PaymentMethods, Checkout in setup mode and its card form, SetupIntents,
 * saving the card of a Checkout payment, and off-session PaymentIntents with Stripe's test
 * cards. A node:http receiver checks that the events arrive signed.
 */

const webhookSecret = "whsec_saved_cards_test_secret";
let emulator: StripeEmulator;
let stripe: Stripe;
let receiver: http.Server;
const received: Stripe.Event[] = [];

beforeAll(async () => {
  receiver = http.createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => (body += chunk));
    request.on("end", () => {
      // Throws (and answers 500) unless the emulator signed it with the secret.
      received.push(Stripe.webhooks.constructEvent(body, String(request.headers["stripe-signature"]), webhookSecret));
      response.writeHead(200).end("{}");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/stripe/webhook`;
  emulator = await startStripeEmulator({ webhookUrl, webhookSecret, retry: { attempts: 2, baseDelayMs: 10 } });
  stripe = new Stripe("sk_test_emulator", { host: "127.0.0.1", port: emulator.port, protocol: "http", maxNetworkRetries: 0 });
});

afterEach(async () => {
  await emulator.webhooksIdle();
  emulator.reset();
  received.length = 0;
});

afterAll(async () => {
  await emulator?.close();
  receiver?.closeAllConnections();
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
});

const failure = (promise: Promise<unknown>) => promise.then(
  () => {
    throw new Error("expected the call to fail");
  },
  (error: unknown) => error as Stripe.errors.StripeError,
);

function setupSession(customer: string, overrides: Partial<Stripe.Checkout.SessionCreateParams> = {}) {
  return stripe.checkout.sessions.create({
    mode: "setup",
    customer,
    currency: "usd",
    success_url: "http://localhost:3000/portal/top-up?card=saved&session_id={CHECKOUT_SESSION_ID}",
    cancel_url: "http://localhost:3000/portal/top-up?card=cancelled",
    metadata: { purpose: "auto_top_up_card" },
    setup_intent_data: { metadata: { customer_id: "cust_1" } },
    ...overrides,
  });
}

/** Fills in the hosted setup page's card form and submits it (what a browser does). */
async function submitCard(url: string, card: { number: string; expiry: string; cvc: string }): Promise<Response> {
  const page = await fetch(url);
  expect(page.status).toBe(200);
  const html = await page.text();
  const action = /<form method="post" action="([^"]+)" class="card">/.exec(html)?.[1];
  if (!action) throw new Error("no card form on the page");
  for (const name of ["cardnumber", "exp-date", "cvc"]) expect(html).toContain(`name="${name}"`);
  expect(html).toContain(">Save card</button>");
  const body = new URLSearchParams({ cardnumber: card.number, "exp-date": card.expiry, cvc: card.cvc });
  return fetch(new URL(action, url), { method: "POST", body, redirect: "manual", headers: { "Content-Type": "application/x-www-form-urlencoded" } });
}

async function customerWithCard(number: string): Promise<{ customer: Stripe.Customer; card: string }> {
  const customer = await stripe.customers.create({ email: "ada@example.com" });
  const card = emulator.saveCard(customer.id, { number });
  return { customer, card: card.id };
}

function offSessionPayment(customer: string, paymentMethod: string, idempotencyKey?: string, amount = 2000) {
  return stripe.paymentIntents.create(
    {
      amount,
      currency: "usd",
      customer,
      payment_method: paymentMethod,
      off_session: true,
      confirm: true,
      metadata: { auto_top_up_id: "atu_1" },
    },
    idempotencyKey ? { idempotencyKey } : undefined,
  );
}

async function eventsDelivered(...types: string[]): Promise<Stripe.Event[]> {
  await emulator.webhooksIdle();
  return received.filter((event) => types.includes(event.type));
}

describe("Checkout in setup mode", () => {
  it("saves the card typed on the hosted form to the customer and completes with a SetupIntent", async () => {
    const customer = await stripe.customers.create({ email: "ada@example.com", name: "Ada" });
    const session = await setupSession(customer.id);
    expect(session).toMatchObject({
      mode: "setup",
      status: "open",
      payment_status: "no_payment_required",
      customer: customer.id,
      currency: "usd",
      amount_total: null,
      setup_intent: null,
      payment_intent: null,
      metadata: { purpose: "auto_top_up_card" },
    });
    expect(session.url).toBe(`${emulator.url}/checkout/${session.id}`);

    const response = await submitCard(session.url!, { number: "4242 4242 4242 4242", expiry: "12 / 34", cvc: "123" });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`http://localhost:3000/portal/top-up?card=saved&session_id=${session.id}`);

    const done = await stripe.checkout.sessions.retrieve(session.id, { expand: ["setup_intent"] });
    expect(done).toMatchObject({ status: "complete", url: null, payment_status: "no_payment_required" });
    const setupIntent = done.setup_intent as Stripe.SetupIntent;
    expect(setupIntent).toMatchObject({ object: "setup_intent", status: "succeeded", customer: customer.id, usage: "off_session", metadata: { customer_id: "cust_1" } });
    expect((await stripe.setupIntents.retrieve(setupIntent.id)).payment_method).toBe(setupIntent.payment_method);

    const cards = await stripe.customers.listPaymentMethods(customer.id, { type: "card" });
    expect(cards.data).toHaveLength(1);
    expect(cards.data[0]).toMatchObject({
      id: setupIntent.payment_method,
      object: "payment_method",
      type: "card",
      customer: customer.id,
      card: { brand: "visa", last4: "4242", exp_month: 12, exp_year: 2034, funding: "credit" },
      billing_details: { email: "ada@example.com", name: "Ada" },
    });
    expect(cards.data[0]!.card!.fingerprint).toMatch(/^[0-9A-Za-z]{16}$/);
    const listed = await stripe.paymentMethods.list({ customer: customer.id, type: "card" });
    expect(listed.data.map((m) => m.id)).toEqual([setupIntent.payment_method]);

    const events = await eventsDelivered("checkout.session.completed", "setup_intent.succeeded", "payment_method.attached");
    expect(events.map((e) => e.type).sort()).toEqual(["checkout.session.completed", "payment_method.attached", "setup_intent.succeeded"]);
    const completed = events.find((e) => e.type === "checkout.session.completed")!.data.object as Stripe.Checkout.Session;
    expect(completed).toMatchObject({ id: session.id, mode: "setup", setup_intent: setupIntent.id, status: "complete" });
  });

  it("shows Stripe's message for a bad card and saves nothing; Cancel goes back and leaves the session open", async () => {
    const customer = await stripe.customers.create({ email: "ada@example.com" });
    const session = await setupSession(customer.id);

    for (const [card, message] of [
      [{ number: "4242 4242 4242 4241", expiry: "12/34", cvc: "123" }, "Your card number is invalid."],
      [{ number: "4111 1111 1111 1111", expiry: "12/34", cvc: "123" }, "non test card"],
      [{ number: "4242 4242 4242 4242", expiry: "01/20", cvc: "123" }, "Your card&#39;s expiration date is in the past."],
      [{ number: "4242 4242 4242 4242", expiry: "13/34", cvc: "123" }, "Your card&#39;s expiration month is invalid."],
      [{ number: "4242 4242 4242 4242", expiry: "1234", cvc: "123" }, "Your card&#39;s expiration date is incomplete."],
      [{ number: "4242 4242 4242 4242", expiry: "12/34", cvc: "1" }, "Your card&#39;s security code is incomplete."],
    ] as const) {
      const response = await submitCard(session.url!, card);
      expect(response.status).toBe(402);
      const html = await response.text();
      expect(html).toContain('role="alert"');
      expect(html).toContain(message);
    }
    expect((await stripe.customers.listPaymentMethods(customer.id)).data).toEqual([]);
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("open");

    const cancel = await fetch(`${emulator.url}/checkout/${session.id}/cancel`, { method: "POST", redirect: "manual" });
    expect(cancel.status).toBe(303);
    expect(cancel.headers.get("location")).toBe("http://localhost:3000/portal/top-up?card=cancelled");
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("open");
    expect(emulator.events()).toEqual([]);
  });

  it("refuses what Stripe refuses in setup mode, and Pay on a setup session", async () => {
    const customer = await stripe.customers.create({});
    const withItems = await failure(
      setupSession(customer.id, { line_items: [{ price_data: { currency: "usd", unit_amount: 500, product_data: { name: "x" } }, quantity: 1 }] }),
    );
    expect(withItems).toMatchObject({ statusCode: 400, param: "line_items" });
    expect(await failure(setupSession("cus_missing"))).toMatchObject({ statusCode: 400, param: "customer", code: "resource_missing" });
    expect(await failure(setupSession(customer.id, { currency: undefined }))).toMatchObject({ statusCode: 400, param: "currency", code: "parameter_missing" });
    const typed = await setupSession(customer.id, { currency: undefined, allowed_payment_method_types: ["card"] });
    expect(typed).toMatchObject({ currency: null, payment_method_types: ["card"] });
    expect(
      await failure(setupSession(customer.id, { setup_intent_data: { metadata: {}, on_behalf_of: "acct_1" } })),
    ).toMatchObject({ statusCode: 400, param: "setup_intent_data[on_behalf_of]", code: "parameter_unknown" });

    const session = await setupSession(customer.id);
    const pay = await fetch(`${emulator.url}/checkout/${session.id}/pay`, { method: "POST", redirect: "manual" });
    expect(pay.status).toBe(405);
    expect(() => emulator.pay(session.id)).toThrow(/setup mode/);
    expect(emulator.completeSetup(session.id, { number: "5555555555554444" }).status).toBe("complete");
    expect(emulator.paymentMethods(customer.id)[0]!.card.brand).toBe("mastercard");
    expect(() => emulator.completeSetup(session.id)).toThrow(/no longer open/);
  });
});

describe("Checkout payment with setup_future_usage", () => {
  it("saves the paying card to the customer when Pay is pressed", async () => {
    const customer = await stripe.customers.create({ email: "ada@example.com" });
    const session = await stripe.checkout.sessions.create({
      mode: "payment",
      customer: customer.id,
      line_items: [{ price_data: { currency: "usd", unit_amount: 2000, product_data: { name: "Top-up" } }, quantity: 1 }],
      payment_intent_data: { setup_future_usage: "off_session", metadata: { top_up_id: "top_1" } },
      success_url: "http://localhost:3000/ok",
    });
    expect(await (await fetch(session.url!)).text()).toContain("Pay also saves the card (Visa ending 4242) for future payments.");
    emulator.pay(session.id);
    const paid = await stripe.checkout.sessions.retrieve(session.id, { expand: ["payment_intent"] });
    const intent = paid.payment_intent as Stripe.PaymentIntent;
    expect(intent).toMatchObject({ status: "succeeded", setup_future_usage: "off_session", customer: customer.id, metadata: { top_up_id: "top_1" } });

    const cards = await stripe.customers.listPaymentMethods(customer.id);
    expect(cards.data).toHaveLength(1);
    expect(cards.data[0]).toMatchObject({ id: intent.payment_method, card: { brand: "visa", last4: "4242" } });

    // Without the option the paying card is not saved (the existing Checkout top-ups), nor
    // is it when the payment is declined.
    const plain = await stripe.checkout.sessions.create({
      mode: "payment",
      customer: customer.id,
      line_items: [{ price_data: { currency: "usd", unit_amount: 2000, product_data: { name: "Top-up" } }, quantity: 1 }],
    });
    expect(await (await fetch(plain.url!)).text()).not.toContain("saves the card");
    emulator.pay(plain.id);
    const declined = await stripe.checkout.sessions.create({
      mode: "payment",
      customer: customer.id,
      line_items: [{ price_data: { currency: "usd", unit_amount: 2000, product_data: { name: "Top-up" } }, quantity: 1 }],
      payment_intent_data: { setup_future_usage: "off_session" },
    });
    emulator.decline(declined.id);
    expect((await stripe.customers.listPaymentMethods(customer.id)).data).toHaveLength(1);
  });
});

describe("Customers and PaymentMethods", () => {
  it("sets the default card, detaches (clearing the default) and refuses cards of other customers", async () => {
    const ada = await stripe.customers.create({ email: "ada@example.com" });
    const bob = await stripe.customers.create({ email: "bob@example.com" });
    expect(ada.invoice_settings.default_payment_method).toBeNull();

    const visa = await stripe.paymentMethods.attach("pm_card_visa", { customer: ada.id });
    expect(visa).toMatchObject({ customer: ada.id, card: { brand: "visa", last4: "4242" } });
    expect(visa.id).not.toBe("pm_card_visa");
    const declining = await stripe.paymentMethods.create({ type: "card", card: { token: "tok_visa_chargeDeclined" } });
    expect(declining.customer).toBeNull();
    await stripe.paymentMethods.attach(declining.id, { customer: ada.id });
    const again = await stripe.paymentMethods.attach("pm_card_visa", { customer: ada.id });
    expect(again.card!.fingerprint).toBe(visa.card!.fingerprint);
    expect(declining.card!.fingerprint).not.toBe(visa.card!.fingerprint);

    const updated = await stripe.customers.update(ada.id, { invoice_settings: { default_payment_method: visa.id } });
    expect(updated.invoice_settings.default_payment_method).toBe(visa.id);
    const expanded = await stripe.customers.retrieve(ada.id, { expand: ["invoice_settings.default_payment_method"] });
    expect(((expanded as Stripe.Customer).invoice_settings.default_payment_method as Stripe.PaymentMethod).card!.last4).toBe("4242");

    const foreign = await failure(stripe.customers.update(bob.id, { invoice_settings: { default_payment_method: visa.id } }));
    expect(foreign).toMatchObject({ statusCode: 400, param: "invoice_settings[default_payment_method]" });
    expect(await failure(stripe.paymentMethods.attach(visa.id, { customer: bob.id }))).toMatchObject({ statusCode: 400 });
    expect(await failure(stripe.customers.retrievePaymentMethod(bob.id, visa.id))).toMatchObject({ statusCode: 404, code: "resource_missing" });
    expect((await stripe.customers.retrievePaymentMethod(ada.id, visa.id)).id).toBe(visa.id);
    expect((await stripe.paymentMethods.retrieve(visa.id)).customer).toBe(ada.id);

    const detached = await stripe.paymentMethods.detach(visa.id);
    expect(detached.customer).toBeNull();
    const after = (await stripe.customers.retrieve(ada.id)) as Stripe.Customer;
    expect(after.invoice_settings.default_payment_method).toBeNull();
    expect((await stripe.customers.listPaymentMethods(ada.id)).data.map((m) => m.id)).toEqual([again.id, declining.id]);
    expect(await failure(stripe.paymentMethods.attach(visa.id, { customer: ada.id }))).toMatchObject({ statusCode: 400 });
    expect(await failure(stripe.paymentMethods.detach(visa.id))).toMatchObject({ statusCode: 400 });
    expect(await failure(stripe.paymentMethods.retrieve("pm_missing"))).toMatchObject({ statusCode: 404, code: "resource_missing" });

    const cleared = await stripe.customers.update(ada.id, { name: "Ada L.", invoice_settings: { default_payment_method: "" }, metadata: { drawdown: "cust_1", gone: "x" } });
    expect(cleared).toMatchObject({ name: "Ada L.", invoice_settings: { default_payment_method: null }, metadata: { drawdown: "cust_1", gone: "x" } });
    expect((await stripe.customers.update(ada.id, { metadata: { gone: "" } })).metadata).toEqual({ drawdown: "cust_1" });
    expect((await stripe.customers.update(ada.id, { metadata: "" })).metadata).toEqual({});
    const updates = await eventsDelivered("customer.updated");
    expect(updates[0]!.data.previous_attributes).toMatchObject({ invoice_settings: { default_payment_method: null } });
    expect((await stripe.customers.list({ email: "bob@example.com" })).data.map((c) => c.id)).toEqual([bob.id]);
  });
});

describe("off-session PaymentIntents with Stripe's test cards", () => {
  it("4242 succeeds: a charge, payment_intent.succeeded and charge.succeeded, and the key replays it", async () => {
    const { customer, card } = await customerWithCard("4242424242424242");
    const intent = await offSessionPayment(customer.id, card, "auto-top-up:atu_1");
    expect(intent).toMatchObject({
      object: "payment_intent",
      status: "succeeded",
      amount: 2000,
      amount_received: 2000,
      currency: "usd",
      customer: customer.id,
      payment_method: card,
      metadata: { auto_top_up_id: "atu_1" },
    });
    const charge = await stripe.charges.retrieve(intent.latest_charge as string);
    expect(charge).toMatchObject({ status: "succeeded", paid: true, amount: 2000, payment_intent: intent.id, payment_method: card });

    const replay = await offSessionPayment(customer.id, card, "auto-top-up:atu_1");
    expect(replay.id).toBe(intent.id);
    expect(replay.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect(emulator.paymentIntents(customer.id)).toHaveLength(1);
    const conflict = await failure(offSessionPayment(customer.id, card, "auto-top-up:atu_1", 3000));
    expect(conflict).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);

    const events = await eventsDelivered("payment_intent.succeeded", "charge.succeeded");
    expect(events.map((e) => e.type).sort()).toEqual(["charge.succeeded", "payment_intent.succeeded"]);
    const succeeded = events.find((e) => e.type === "payment_intent.succeeded")!;
    expect(succeeded.data.object).toMatchObject({ id: intent.id, status: "succeeded", metadata: { auto_top_up_id: "atu_1" } });
    expect(succeeded.request).toMatchObject({ idempotency_key: "auto-top-up:atu_1" });
    expect((await stripe.paymentIntents.retrieve(intent.id)).status).toBe("succeeded");
    expect((await stripe.paymentIntents.list({ customer: customer.id })).data.map((pi) => pi.id)).toEqual([intent.id]);
  });

  it.each([
    ["4000000000000002", "card_declined", "generic_decline", "Your card was declined."],
    ["4000000000009995", "card_declined", "insufficient_funds", "Your card has insufficient funds."],
    ["4000002500003155", "authentication_required", "authentication_required", "Your card was declined. This transaction requires authentication."],
    ["4000002760003184", "authentication_required", "authentication_required", "Your card was declined. This transaction requires authentication."],
    ["4000000000000341", "card_declined", "generic_decline", "Your card was declined."],
  ])("%s fails with a 402 StripeCardError (%s, %s) and payment_intent.payment_failed", async (number, code, declineCode, message) => {
    const { customer, card } = await customerWithCard(number);
    const error = await failure(offSessionPayment(customer.id, card, `auto-top-up:${number}`));
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(error).toMatchObject({ statusCode: 402, type: "StripeCardError", code, decline_code: declineCode, message });
    const failed = error.payment_intent!;
    expect(failed).toMatchObject({
      status: "requires_payment_method",
      payment_method: null,
      customer: customer.id,
      metadata: { auto_top_up_id: "atu_1" },
      last_payment_error: { type: "card_error", code, decline_code: declineCode, message, payment_method: { id: card } },
    });
    expect(error.payment_method?.id).toBe(card);
    expect((await stripe.charges.retrieve(error.charge!)).status).toBe("failed");
    expect(await stripe.paymentIntents.retrieve(failed.id)).toMatchObject({ status: "requires_payment_method", last_payment_error: { code } });

    // The same key gives the same answer: no second attempt at the card.
    const replay = await failure(offSessionPayment(customer.id, card, `auto-top-up:${number}`));
    expect(replay).toMatchObject({ statusCode: 402, code, payment_intent: { id: failed.id } });
    expect(emulator.paymentIntents(customer.id)).toHaveLength(1);

    const events = await eventsDelivered("payment_intent.payment_failed", "charge.failed", "payment_intent.succeeded");
    expect(events.map((e) => e.type).sort()).toEqual(["charge.failed", "payment_intent.payment_failed"]);
    expect(events.find((e) => e.type === "payment_intent.payment_failed")!.data.object).toMatchObject({ id: failed.id, last_payment_error: { decline_code: declineCode } });
  });

  it("on-session, a card that needs authentication waits in requires_action; confirming later with a good card pays", async () => {
    const { customer, card } = await customerWithCard("4000002500003155");
    const intent = await stripe.paymentIntents.create({ amount: 2000, currency: "usd", customer: customer.id, payment_method: card, confirm: true });
    expect(intent).toMatchObject({ status: "requires_action", next_action: { type: "use_stripe_sdk" } });

    const unconfirmed = await stripe.paymentIntents.create({ amount: 2000, currency: "usd", customer: customer.id });
    expect(unconfirmed.status).toBe("requires_payment_method");
    const good = emulator.saveCard(customer.id, { number: "4242424242424242" });
    const paid = await stripe.paymentIntents.confirm(unconfirmed.id, { payment_method: good.id, off_session: true });
    expect(paid.status).toBe("succeeded");
    expect(await failure(stripe.paymentIntents.confirm(paid.id))).toMatchObject({ statusCode: 400, code: "payment_intent_unexpected_state" });
  });

  it("refuses another customer's card, a saved card without its customer, and bad parameters, creating nothing", async () => {
    const { customer, card } = await customerWithCard("4242424242424242");
    const other = await stripe.customers.create({});
    expect(await failure(offSessionPayment(other.id, card))).toMatchObject({ statusCode: 400, param: "payment_method" });
    expect(
      await failure(stripe.paymentIntents.create({ amount: 2000, currency: "usd", payment_method: card, confirm: true, off_session: true })),
    ).toMatchObject({ statusCode: 400, param: "payment_method" });
    expect(await failure(offSessionPayment(customer.id, "pm_missing"))).toMatchObject({ statusCode: 400, param: "payment_method", code: "resource_missing" });
    expect(await failure(offSessionPayment("cus_missing", card))).toMatchObject({ statusCode: 400, param: "customer", code: "resource_missing" });
    expect(await failure(offSessionPayment(customer.id, card, undefined, 10))).toMatchObject({ statusCode: 400, param: "amount", code: "amount_too_small" });
    expect(
      await failure(stripe.paymentIntents.create({ amount: 2000, currency: "usd", customer: customer.id, payment_method: card, off_session: true })),
    ).toMatchObject({ statusCode: 400, param: "off_session" });
    expect(
      await failure(stripe.paymentIntents.create({ amount: 2000, currency: "usd", customer: customer.id, confirm: true })),
    ).toMatchObject({ statusCode: 400, code: "payment_intent_unexpected_state" });
    expect(emulator.paymentIntents()).toEqual([]);
    expect(emulator.events().filter((e) => e.type.startsWith("payment_intent") || e.type.startsWith("charge"))).toEqual([]);

    // Stripe's ready-made test PaymentMethods work without a customer.
    const oneOff = await stripe.paymentIntents.create({ amount: 500, currency: "usd", payment_method: "pm_card_visa", confirm: true });
    expect(oneOff.status).toBe("succeeded");
  });
});

describe("control endpoints and the state file", () => {
  it("saves cards and completes setup sessions over HTTP, and keeps cards and setup intents across a restart", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "stripe-emulator-cards-"));
    const stateFile = path.join(dir, "state.json");
    try {
      const first = await startStripeEmulator({ webhookUrl: "http://127.0.0.1:9/none", webhookSecret, retry: { attempts: 1 }, stateFile });
      const client = new Stripe("sk_test_emulator", { host: "127.0.0.1", port: first.port, protocol: "http", maxNetworkRetries: 0 });
      const customer = await client.customers.create({ email: "ada@example.com" });
      const post = (url: string, body: unknown) =>
        fetch(`${first.url}${url}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

      const saved = await post(`/_emulator/customers/${customer.id}/payment_methods`, { card_number: "4000000000009995" });
      expect(saved.status).toBe(200);
      expect(await saved.json()).toMatchObject({ customer: customer.id, card: { last4: "9995" } });
      const badCard = await post(`/_emulator/customers/${customer.id}/payment_methods`, { card_number: "1234" });
      expect(badCard.status).toBe(402);

      const session = await client.checkout.sessions.create({ mode: "setup", customer: customer.id, currency: "usd", success_url: "http://localhost:3000/ok" });
      const setup = await post(`/_emulator/checkout/sessions/${session.id}/setup`, { card_number: "4000000000000002" });
      expect(await setup.json()).toMatchObject({ status: "complete", setup_intent: expect.stringMatching(/^seti_/) as unknown });
      const listed = (await (await fetch(`${first.url}/_emulator/customers/${customer.id}/payment_methods`)).json()) as { data: Array<{ card: { last4: string } }> };
      expect(listed.data.map((m) => m.card.last4)).toEqual(["0002", "9995"]);
      await client.customers.update(customer.id, { invoice_settings: { default_payment_method: first.paymentMethods(customer.id)[0]!.id } });
      const payment = (c: Stripe) =>
        c.paymentIntents.create(
          { amount: 2000, currency: "usd", customer: customer.id, payment_method: first.paymentMethods(customer.id)[1]!.id, off_session: true, confirm: true },
          { idempotencyKey: "auto-top-up:atu_restart" },
        );
      const insufficient = await failure(payment(client));
      await first.close();

      const second = await startStripeEmulator({ webhookUrl: "http://127.0.0.1:9/none", webhookSecret, retry: { attempts: 1 }, stateFile });
      try {
        const again = new Stripe("sk_test_emulator", { host: "127.0.0.1", port: second.port, protocol: "http", maxNetworkRetries: 0 });
        const cards = await again.customers.listPaymentMethods(customer.id);
        expect(cards.data.map((m) => m.card!.last4)).toEqual(["0002", "9995"]);
        const restored = (await again.customers.retrieve(customer.id)) as Stripe.Customer;
        expect(restored.invoice_settings.default_payment_method).toBe(cards.data[0]!.id);
        const done = await again.checkout.sessions.retrieve(session.id);
        expect((await again.setupIntents.retrieve(done.setup_intent as string)).status).toBe("succeeded");
        // The saved declining card still declines after the restart.
        const declined = await failure(
          again.paymentIntents.create({ amount: 2000, currency: "usd", customer: customer.id, payment_method: cards.data[0]!.id, off_session: true, confirm: true }),
        );
        expect(declined).toMatchObject({ statusCode: 402, decline_code: "generic_decline" });
        // The key used before the restart still replays its answer: no second charge.
        const replayed = await failure(payment(again));
        expect(replayed).toMatchObject({ statusCode: 402, decline_code: "insufficient_funds", payment_intent: { id: insufficient.payment_intent!.id } });
        expect(replayed.headers?.["idempotent-replayed"]).toBe("true");
        expect(second.paymentIntents(customer.id)).toHaveLength(2);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("loads a state file written before saved cards existed", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "stripe-emulator-old-state-"));
    const stateFile = path.join(dir, "state.json");
    try {
      const first = await startStripeEmulator({ webhookUrl: "http://127.0.0.1:9/none", webhookSecret, retry: { attempts: 1 }, stateFile });
      const client = new Stripe("sk_test_emulator", { host: "127.0.0.1", port: first.port, protocol: "http", maxNetworkRetries: 0 });
      const customer = await client.customers.create({ email: "old@example.com" });
      const session = await client.checkout.sessions.create({
        mode: "payment",
        customer: customer.id,
        line_items: [{ price_data: { currency: "usd", unit_amount: 2000, product_data: { name: "Top-up" } }, quantity: 1 }],
        payment_intent_data: { metadata: { top_up_id: "top_old" } },
      });
      await first.close();

      // What the previous version wrote: no saved-card lists, customers without invoice_settings.
      const old = JSON.parse(readFileSync(stateFile, "utf8")) as Record<string, unknown> & { customers: Array<Record<string, unknown>> };
      for (const key of ["payment_methods", "setup_intents", "session_options", "detached_payment_methods"]) delete old[key];
      for (const c of old.customers) delete c.invoice_settings;
      writeFileSync(stateFile, JSON.stringify(old));

      const second = await startStripeEmulator({ webhookUrl: "http://127.0.0.1:9/none", webhookSecret, retry: { attempts: 1 }, stateFile });
      try {
        const again = new Stripe("sk_test_emulator", { host: "127.0.0.1", port: second.port, protocol: "http", maxNetworkRetries: 0 });
        expect(((await again.customers.retrieve(customer.id)) as Stripe.Customer).invoice_settings.default_payment_method).toBeNull();
        second.pay(session.id);
        const paid = await again.checkout.sessions.retrieve(session.id, { expand: ["payment_intent"] });
        expect((paid.payment_intent as Stripe.PaymentIntent).metadata).toEqual({ top_up_id: "top_old" });
        expect(second.saveCard(customer.id).customer).toBe(customer.id);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
