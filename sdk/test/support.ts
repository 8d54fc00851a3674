import { subscribeCustomer } from "@/lib/catalog";
import { createAsset } from "@/lib/catalog/create-asset";
import { Dec } from "@/lib/money";
import { startStripeHarness, type StripeHarness } from "@/lib/top-ups/testing/stripe-harness";
import { startTestApiServer, type TestApiServer } from "@/test/api-server";
import { createTestPlatform, type TestPlatform } from "@/test/factories";
import { productExample } from "@/test/seed";
import { toCamelCase } from "../src/core/casing";
import { DrawdownClient, type CreateProductParams, type DrawdownClientOptions } from "../src/index";

/**
 * The SDK's tests run against the real app: its route handlers over HTTP
 * (test/api-server.ts) on the suite's embedded PostgreSQL, and the project's Stripe
 * emulator for top-ups. Nothing of the server is mocked.
 */
export interface SdkTestApp {
  server: TestApiServer;
  stripe: StripeHarness;
  platform: TestPlatform;
  client(options?: Partial<DrawdownClientOptions>): DrawdownClient;
  close(): Promise<void>;
}

export async function startSdkTestApp(name: string): Promise<SdkTestApp> {
  const [server, stripe, platform] = await Promise.all([startTestApiServer(), startStripeHarness(), createTestPlatform(name)]);
  return {
    server,
    stripe,
    platform,
    client: (options = {}) => new DrawdownClient({ apiKey: platform.apiKey, baseUrl: server.url, retryDelayMs: 10, ...options }),
    async close() {
      await Promise.all([server.close(), stripe.close()]);
    },
  };
}

/**
 * PRODUCT.md's product (Chat: USD per input token by model, CREDIT per api_call) for the
 * platform, through the SDK, and the customer subscribed to it. Creates the CREDIT and TOK
 * assets it needs first.
 */
export async function setUpChatProduct(app: SdkTestApp, customerId: string): Promise<void> {
  await createAsset(app.platform, { code: "CREDIT", name: "Credits", precision: 2 });
  await createAsset(app.platform, { code: "TOK", name: "Tokens", precision: 0, rates: [{ source: "USD", rate: new Dec("0.000001") }] });
  await app.client().products.create(toCamelCase(productExample) as CreateProductParams);
  await subscribeCustomer(app.platform, customerId, [{ code: "chat", version: "default" }]);
}
