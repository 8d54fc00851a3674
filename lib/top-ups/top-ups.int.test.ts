import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getTopUpRoute } from "@/app/api/v1/top-ups/[id]/route";
import { GET as listTopUpsRoute, POST as createTopUpRoute } from "@/app/api/v1/top-ups/route";
import { GET as getAccountRoute } from "@/app/api/v1/customers/[id]/wallet/[account_id]/route";
import { createAsset } from "@/lib/catalog/create-asset";
import { closeDb, pool, prisma } from "@/lib/db";
import { env } from "@/lib/env";
import { credit, readWallet, verifyLedger } from "@/lib/ledger";
import { Dec } from "@/lib/money";
import { consumeRedirectToken } from "@/lib/portal-access/redirect-tokens";
import { createTestCustomer, createTestPlatform, type TestPlatform } from "@/test/factories";
import { initiateTopUp } from "./initiate-top-up";
import type { topUpToJson } from "@/lib/api/serializers/top-ups";

type TopUpJson = ReturnType<typeof topUpToJson>;
import { startStripeHarness, waitFor, type StripeHarness } from "./testing/stripe-harness";

/**
 * POST/GET /api/v1/top-ups through the real route handlers, the real stripe SDK and the
 * project's Stripe emulator (pay through its control API, webhooks back into the route).
 */

const BASE = "http://localhost/api/v1";
let harness: StripeHarness;
let platform: TestPlatform;
let otherPlatform: TestPlatform;

beforeAll(async () => {
  harness = await startStripeHarness();
  [platform, otherPlatform] = await Promise.all([createTestPlatform("Top-ups"), createTestPlatform("Other platform")]);
  await createAsset(platform, { code: "TOK", name: "Tokens", precision: 0, rates: [{ source: "USD", rate: new Dec("0.05") }] });
  await createAsset(platform, { code: "CREDIT", name: "Credits", precision: 2 });
});
afterAll(async () => {
  await harness?.close();
  await closeDb();
});

/** The seed's request body ("Topups Only Model"), for `customerId`. */
function seedBody(customerId: string) {
  return {
    customer_id: customerId,
    amount: 50,
    currency: "USD",
    description: "Image generation credits",
    destination: { account_name: "default", asset: "USD", exchange_rate: 1000000 },
    credit_expires_at: "2024-07-29T15:51:28.071Z",
    return_url: "https://glitch.ai/account",
    failure_url: "https://glitch.ai/callbacks/credyt-failure",
    metadata: { order_id: "order_12345" },
  };
}

/** A top-up, or a problem: tests read whichever the status says. */
type Answer = TopUpJson & { redirect_url: string; detail: string; errors: { field: string }[] };

function request(method: string, path: string, body?: unknown, key = platform.apiKey): Request {
  return new Request(`${BASE}${path}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function createTopUp(body: unknown, key?: string) {
  const response = await createTopUpRoute(request("POST", "/top-ups", body, key));
  return { status: response.status, json: (await response.json()) as Answer };
}

async function getTopUp(id: string, key?: string) {
  const response = await getTopUpRoute(request("GET", `/top-ups/${id}`, undefined, key), { params: Promise.resolve({ id }) });
  return { status: response.status, json: (await response.json()) as Answer };
}

function sessionOf(topUpId: string) {
  return prisma().topUp.findUniqueOrThrow({ where: { id: topUpId } }).then((t) => t.checkoutSessionId!);
}

async function countTopUps(customerId: string) {
  return prisma().topUp.count({ where: { customerId } });
}

async function available(customerId: string, accountId: string): Promise<string | undefined> {
  return (await readWallet(customerId)).find((a) => a.id === accountId)?.available.toFixed();
}

describe("POST /top-ups", () => {
  it("refuses the seed body verbatim: USD into USD with exchange_rate 1000000 is a 422, and nothing is written", async () => {
    const { customerId } = await createTestCustomer(platform.platformId);
    const sessionsBefore = harness.emulator.events().length;
    const { status, json } = await createTopUp(seedBody(customerId));
    expect(status).toBe(422);
    expect(json.detail).toMatch(/same asset needs rate 1/);
    expect(json.errors).toEqual([expect.objectContaining({ field: "destination/exchange_rate" })]);
    expect(await countTopUps(customerId)).toBe(0);
    expect(harness.emulator.events().length).toBe(sessionsBefore);
  });

  it("accepts the seed body with the rate corrected to 1 (or left out) and answers the seed's response shape", async () => {
    const { customerId, email } = await createTestCustomer(platform.platformId);
    await credit(customerId, { idempotencyKey: "opening", accountName: "default", asset: "USD", amount: new Dec(1), purpose: "paid" });
    const body = seedBody(customerId);
    const before = Date.now();
    const { status, json } = await createTopUp({ ...body, destination: { ...body.destination, exchange_rate: 1 } });
    expect(status).toBe(201);
    expect(json).toMatchObject({
      id: expect.stringMatching(/^top_[0-9a-z]+$/),
      status: "initiated",
      redirect_url: expect.stringMatching(new RegExp(`^${env().APP_URL.replace(/\/$/, "")}/api/sign-in\\?token=[A-Za-z0-9_-]{43}$`)),
      created_at: expect.any(String),
      expires_at: expect.any(String),
      customer_id: customerId,
      amount: 50,
      currency: "USD",
      credit_amount: 50,
      destination: { account_name: "default", asset: "USD", exchange_rate: 1 },
      metadata: { order_id: "order_12345" },
      grant_id: null,
      credit_expires_at: null, // 2024 is past: the grant gets the default one-year expiry
    });
    const expiresAt = new Date(json.expires_at).getTime();
    expect(expiresAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 3600_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 3600_000);

    // The Checkout Session: the amount in cents, the top-up id, the platform's URLs, the same expiry.
    const sessionId = await sessionOf(json.id);
    const session = await stripeSession(sessionId);
    expect(session).toMatchObject({
      mode: "payment",
      amount_total: 5000,
      currency: "usd",
      metadata: { top_up_id: json.id },
      success_url: "https://glitch.ai/account",
      cancel_url: "https://glitch.ai/callbacks/credyt-failure",
      expires_at: expiresAt / 1000,
      customer_email: email,
      status: "open",
    });

    // The redirect token leads (once) to that session's hosted page.
    const token = new URL(json.redirect_url).searchParams.get("token")!;
    const consumed = await consumeRedirectToken(token);
    expect(consumed).toMatchObject({ customerId, target: session.url, returnUrl: body.return_url, failureUrl: body.failure_url });
    expect(await consumeRedirectToken(token)).toBeNull();

    // Pending until paid.
    const account = await getAccountRoute(request("GET", `/customers/${customerId}/wallet/default:USD`), {
      params: Promise.resolve({ id: customerId, account_id: "default:USD" }),
    });
    expect(await account.json()).toMatchObject({ available: 1, pending_in: 50 });

    const { json: withoutRate } = await createTopUp({ ...body, destination: { account_name: "default", asset: "USD" } });
    expect(withoutRate).toMatchObject({ status: "initiated", credit_amount: 50, destination: { exchange_rate: 1 } });
  });

  it("defaults success and cancel URLs to the portal's result pages and the destination to default:{currency}", async () => {
    const { customerId } = await createTestCustomer(platform.platformId, { email: null });
    const { status, json } = await createTopUp({ customer_id: customerId, amount: "12.50", currency: "USD" });
    expect(status).toBe(201);
    expect(json).toMatchObject({ amount: 12.5, credit_amount: 12.5, destination: { account_name: "default", asset: "USD", exchange_rate: 1 } });
    const session = await stripeSession(await sessionOf(json.id));
    expect(session.success_url).toBe(new URL(`/portal/top-ups/${json.id}/success`, env().APP_URL).toString());
    expect(session.cancel_url).toBe(new URL(`/portal/top-ups/${json.id}/failure`, env().APP_URL).toString());
    expect(session.amount_total).toBe(1250);
  });

  it("refuses amounts finer than the currency's minor units, unknown currencies and assets, and Stripe's minimum", async () => {
    const { customerId } = await createTestCustomer(platform.platformId);
    const cases: [unknown, string][] = [
      [{ customer_id: customerId, amount: 10.005, currency: "USD" }, "amount"],
      [{ customer_id: customerId, amount: "10.005", currency: "USD" }, "amount"],
      [{ customer_id: customerId, amount: 10.5, currency: "JPY" }, "amount"],
      [{ customer_id: customerId, amount: 10, currency: "XYZ" }, "currency"],
      [{ customer_id: customerId, amount: 10, currency: "usd" }, "currency"],
      [{ customer_id: customerId, amount: -5, currency: "USD" }, "amount"],
      [{ customer_id: customerId, amount: 10, currency: "USD", destination: { asset: "NOPE" } }, "destination/asset"],
      [{ customer_id: customerId, amount: 10, currency: "USD", destination: { asset: "CREDIT" } }, "destination/exchange_rate"],
      [{ customer_id: customerId, amount: 10, currency: "USD", return_url: "javascript:alert(1)" }, "return_url"],
      [{ customer_id: customerId, amount: 0.1, currency: "USD" }, "amount"], // Stripe's minimum charge is $0.50
    ];
    for (const [body, field] of cases) {
      const { status, json } = await createTopUp(body);
      expect({ body, status }).toEqual({ body, status: 422 });
      expect(json.errors.map((e) => e.field)).toContain(field);
    }
    expect(await countTopUps(customerId)).toBe(0);
  });

  it("answers 404 for another platform's customer, 401 without a key", async () => {
    const { customerId } = await createTestCustomer(otherPlatform.platformId);
    expect((await createTopUp({ customer_id: customerId, amount: 10, currency: "USD" })).status).toBe(404);
    expect((await createTopUp({ customer_id: customerId, amount: 10, currency: "USD" }, "dd_test_nope")).status).toBe(401);
    expect(await countTopUps(customerId)).toBe(0);
  });
});

describe("conversion into a custom asset", () => {
  it("credits amount / the asset's stored rate (TOK at 0.05 USD: $10 → 200 TOK) with the rate on the ledger entry", async () => {
    const { customerId } = await createTestCustomer(platform.platformId);
    const { status, json } = await createTopUp({ customer_id: customerId, amount: 10, currency: "USD", destination: { asset: "TOK" } });
    expect(status).toBe(201);
    expect(json).toMatchObject({ credit_amount: 200, destination: { asset: "TOK", exchange_rate: 20 } });
    expect((await stripeSession(await sessionOf(json.id))).amount_total).toBe(1000);

    await payAndSettle(json.id);
    expect(await available(customerId, "default:TOK")).toBe("200");
    const { rows } = await pool().query<{ amount: string; rate: string }>(
      `SELECT e.amount, e.rate FROM ledger_entries e JOIN credit_grants g ON g.id = e.grant_id WHERE g.id = $1 AND e.kind = 'credit'`,
      [(await getTopUp(json.id)).json.grant_id],
    );
    expect(rows.map((r) => [new Dec(r.amount).toFixed(), new Dec(r.rate).toFixed()])).toEqual([["200", "20"]]);
  });

  it("honours an explicit exchange_rate (units per unit of currency)", async () => {
    const { customerId } = await createTestCustomer(platform.platformId);
    const { json } = await createTopUp({
      customer_id: customerId,
      amount: "7.30",
      currency: "USD",
      destination: { account_name: "credits", asset: "CREDIT", exchange_rate: "2.5" },
    });
    expect(json).toMatchObject({ status: "initiated", credit_amount: 18.25, destination: { account_name: "credits", asset: "CREDIT", exchange_rate: 2.5 } });
    await payAndSettle(json.id);
    expect(await available(customerId, "credits:CREDIT")).toBe("18.25");
    expect(await verifyLedger(customerId)).toEqual([]);
  });
});

describe("GET /top-ups", () => {
  it("shows status, credited amount and grant; lists by customer; hides other platforms' top-ups", async () => {
    const { customerId } = await createTestCustomer(platform.platformId);
    const first = (await createTopUp({ customer_id: customerId, amount: 20, currency: "USD" })).json;
    const second = (await createTopUp({ customer_id: customerId, amount: 30, currency: "USD" })).json;
    await payAndSettle(first.id);

    const { status, json } = await getTopUp(first.id);
    expect(status).toBe(200);
    expect(json).toMatchObject({ id: first.id, status: "succeeded", credit_amount: 20, grant_id: expect.stringMatching(/^grant_/) });
    expect(json).not.toHaveProperty("redirect_url");

    const list = await listTopUpsRoute(request("GET", `/top-ups?customer_id=${customerId}&limit=1`));
    expect(await list.json()).toMatchObject({ total_count: 2, limit: 1, offset: 0, items: [{ id: second.id, status: "initiated" }] });
    const succeeded = await listTopUpsRoute(request("GET", `/top-ups?customer_id=${customerId}&status=succeeded`));
    expect(await succeeded.json()).toMatchObject({ total_count: 1, items: [{ id: first.id }] });

    expect((await getTopUp(first.id, otherPlatform.apiKey)).status).toBe(404);
    expect((await getTopUp("top_doesnotexist")).status).toBe(404);
    const foreignList = await listTopUpsRoute(request("GET", `/top-ups?customer_id=${customerId}`, undefined, otherPlatform.apiKey));
    expect(foreignList.status).toBe(404);
  });
});

describe("initiateTopUp for the portal", () => {
  it("uses the portal's own result URLs and can skip the sign-in link", async () => {
    const { customerId } = await createTestCustomer(platform.platformId);
    const result = await initiateTopUp(
      platform,
      { customer_id: customerId, amount: new Dec(25), currency: "USD", destination: { account_name: "default", asset: "TOK" } },
      { successUrl: "http://localhost:3000/portal/done", cancelUrl: "http://localhost:3000/portal/cancelled", signInLink: false },
    );
    expect(result.redirectUrl).toBeNull();
    expect(result.topUp.creditAmount.toFixed()).toBe("500");
    const session = await stripeSession(result.topUp.checkoutSessionId!);
    expect(result.checkoutUrl).toBe(session.url);
    expect(session).toMatchObject({ success_url: "http://localhost:3000/portal/done", cancel_url: "http://localhost:3000/portal/cancelled" });
  });
});

describe("initiateTopUp's destination", () => {
  it("credits default:{currency} without a destination, and the asset's default account without an account name", async () => {
    const { customerId } = await createTestCustomer(platform.platformId);
    const plain = await initiateTopUp(platform, { customer_id: customerId, amount: new Dec(10), currency: "EUR" }, { signInLink: false });
    expect(plain.topUp).toMatchObject({ accountName: "default", asset: "EUR" });
    expect(plain.topUp.creditAmount.toFixed()).toBe("10");
    const named = await initiateTopUp(platform, { customer_id: customerId, amount: new Dec(10), currency: "USD", destination: { asset: "TOK" } }, { signInLink: false });
    expect(named.topUp).toMatchObject({ accountName: "default", asset: "TOK" });
    expect(named.topUp.creditAmount.toFixed()).toBe("200");
  });
});

async function stripeSession(sessionId: string) {
  const { stripeClient } = await import("@/lib/stripe/client");
  return stripeClient().checkout.sessions.retrieve(sessionId);
}

/** Pays the top-up's session at the emulator and waits until the webhook settled it. */
async function payAndSettle(topUpId: string) {
  harness.emulator.pay(await sessionOf(topUpId));
  await waitFor(async () => (await getTopUp(topUpId)).json.status === "succeeded", `${topUpId} to succeed`);
}
