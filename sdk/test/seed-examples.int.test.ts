import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/lib/db";
import { createTestCustomer } from "@/test/factories";
import { DrawdownClient, DrawdownValidationError } from "../src/index";
import { setUpChatProduct, startSdkTestApp, type SdkTestApp } from "./support";

/**
 * The TypeScript snippets of ../shared/seed/topups-only-model.txt ("Topups Only Model"),
 * pasted as they are, against the real app: only the import and the client construction
 * are ours, and each result is kept as `response` to compare with the seed's "SDK response
 * object". The seed's customer id is used as is: the test creates that customer (ids are
 * made by the server, so the factory writes it directly; the suite's database is fresh).
 *
 * One seed value cannot work verbatim: the top-up credits USD into a USD account at
 * `exchangeRate: 1000000`, which PRODUCT.md rules a typo and the API refuses (422) rather
 * than crediting $50,000,000. That call is run verbatim and must fail with exactly that
 * field error; then it is run with `exchangeRate: 1` and must answer the seed's shape.
 */

let app: SdkTestApp;
let client: DrawdownClient;

beforeAll(async () => {
  app = await startSdkTestApp("Glitch (seed examples)");
  await createTestCustomer(app.platform.platformId, { id: "cust_473cr1y0ghbyc3m1yfbwvn3nxx", name: "Seed customer" });
  await setUpChatProduct(app, "cust_473cr1y0ghbyc3m1yfbwvn3nxx");
  client = new DrawdownClient({ apiKey: app.platform.apiKey, baseUrl: app.server.url });
});
afterAll(async () => {
  await app?.close();
  await closeDb();
});

describe("the seed's TypeScript SDK calls", () => {
  it("topUps.initiate, verbatim: refused with a typed 422 naming destination/exchange_rate", async () => {
    const call = client.topUps.initiate({
      customerId: "cust_473cr1y0ghbyc3m1yfbwvn3nxx",
      amount: 50,
      currency: "USD",
      description: "Image generation credits",
      destination: {
        accountName: "default",
        asset: "USD",
        exchangeRate: 1000000,
      },
      creditExpiresAt: "2024-07-29T15:51:28.071Z",
      returnUrl: "https://glitch.ai/account",
      failureUrl: "https://glitch.ai/callbacks/credyt-failure",
      metadata: {
        orderId: "order_12345",
      },
    });
    const error = await call.then(
      () => expect.fail("a USD→USD top-up at 1000000 must be refused"),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DrawdownValidationError);
    expect(error).toMatchObject({ status: 422, errors: [{ field: "destination/exchange_rate", message: expect.any(String) }] });
    expect((await client.topUps.list({ customerId: "cust_473cr1y0ghbyc3m1yfbwvn3nxx" })).totalCount).toBe(0);
  });

  it("topUps.initiate, with exchangeRate 1: answers the seed's SDK response object", async () => {
    const response = await client.topUps.initiate({
      customerId: "cust_473cr1y0ghbyc3m1yfbwvn3nxx",
      amount: 50,
      currency: "USD",
      description: "Image generation credits",
      destination: {
        accountName: "default",
        asset: "USD",
        exchangeRate: 1,
      },
      creditExpiresAt: "2024-07-29T15:51:28.071Z",
      returnUrl: "https://glitch.ai/account",
      failureUrl: "https://glitch.ai/callbacks/credyt-failure",
      metadata: {
        orderId: "order_12345",
      },
    });
    expect(response).toMatchObject({
      id: expect.stringMatching(/^top_[0-9a-z]+$/),
      status: "initiated",
      redirectUrl: expect.stringMatching(/\/api\/sign-in\?token=[A-Za-z0-9_-]+$/),
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    // camelCase all the way down; metadata exactly as written
    expect(response.destination).toEqual({ accountName: "default", asset: "USD", exchangeRate: 1 });
    expect(response.metadata).toEqual({ orderId: "order_12345" });
    expect(Object.keys(response).filter((k) => k.includes("_"))).toEqual([]);
  });

  it("customerWalletOps.createAdjustment: answers the seed's SDK response object", async () => {
    const response = await client.customerWalletOps.createAdjustment("cust_473cr1y0ghbyc3m1yfbwvn3nxx", {
      transactionId: "3fa85f64-5717-4562-b3fc-2c963f66afa6",
      accountName: "default",
      asset: "USD",
      amount: 25,
      description: "Ad-hoc usage",
      reason: "external_topup",
      expiresAt: "2024-07-29T15:51:28.071Z",
      metadata: {
        psp: "stripe",
        paymentIntent: "pi_3RjbbNJNSIruR1rb0GwMGpH0",
      },
    });
    expect(response).toEqual({ id: "3fa85f64-5717-4562-b3fc-2c963f66afa6", createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    // "This adds $25 to the balance."
    const account = await client.customerWalletOps.getAccount("cust_473cr1y0ghbyc3m1yfbwvn3nxx", "default:USD");
    expect(account.available).toBe(25);
    // metadata keys are the platform's: stored as written, not re-cased
    const [transaction] = (await client.customerWalletOps.listTransactions("cust_473cr1y0ghbyc3m1yfbwvn3nxx", { limit: 1 })).items;
    expect(transaction?.metadata).toMatchObject({ psp: "stripe", paymentIntent: "pi_3RjbbNJNSIruR1rb0GwMGpH0" });
  });

  it("events.sendUsage: billed; data is sent exactly as written (inputTokens stays inputTokens)", async () => {
    const response = await client.events.sendUsage({
      customerId: "cust_473cr1y0ghbyc3m1yfbwvn3nxx",
      events: [
        {
          id: "3fa85f64-5717-4562-b3fc-2c963f66afa6",
          eventType: "message_completed",
          occurredAt: "2024-07-29T15:51:28.071Z",
          subject: "chat_5f53d23a4958",
          description: "Chat message completed",
          data: {
            model: "gpt-4-1",
            inputTokens: 2353,
            outputTokens: 34697,
          },
        },
      ],
    });
    // The price reads data.input_tokens; the seed's snippet writes inputTokens, which the
    // pricing reads when input_tokens is absent: charged as its REST twin is.
    expect(response.results).toEqual([
      {
        id: "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        status: "billed",
        fees: [expect.objectContaining({ amount: 0.00294125, asset: "USD", priceName: "Input tokens", balanceAfter: 24.99705875 })],
      },
    ]);
    const stored = await client.events.get("3fa85f64-5717-4562-b3fc-2c963f66afa6");
    expect(stored.data).toEqual({ model: "gpt-4-1", inputTokens: 2353, outputTokens: 34697 });
    expect(stored.eventType).toBe("message_completed");
  });

  it("events.sendUsage with the REST body's data keys (input_tokens): charged as the price says", async () => {
    const response = await client.events.sendUsage({
      customerId: "cust_473cr1y0ghbyc3m1yfbwvn3nxx",
      events: [
        {
          id: "4fa85f64-5717-4562-b3fc-2c963f66afa6",
          eventType: "message_completed",
          occurredAt: "2024-07-29T15:51:28.071Z",
          subject: "chat_5f53d23a4958",
          description: "Chat message completed",
          data: { model: "gpt-4-1", input_tokens: 2353, output_tokens: 34697 },
        },
      ],
    });
    // 2353 / 1,000,000 × $1.25
    expect(response.results).toEqual([
      {
        id: "4fa85f64-5717-4562-b3fc-2c963f66afa6",
        status: "billed",
        fees: [
          expect.objectContaining({ amount: 0.00294125, asset: "USD", accountId: "default:USD", priceName: "Input tokens", productVersion: 1, balanceAfter: 24.9941175 }),
        ],
      },
    ]);
  });

  it("customerWalletOps.getCustomerWallet: answers the seed's SDK response object", async () => {
    const response = await client.customerWalletOps.getCustomerWallet("cust_473cr1y0ghbyc3m1yfbwvn3nxx");
    expect(response).toEqual({
      accounts: [
        {
          id: "default:USD",
          name: "default",
          asset: "USD",
          available: 24.9941175,
        },
      ],
    });
  });
});
