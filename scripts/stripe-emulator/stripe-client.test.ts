import http from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { constructStripeEvent, stripeClient, webhookSecret } from "../../lib/stripe/client";
import { startStripeEmulator, type StripeEmulator } from "./server";

/**
 * lib/stripe/client.ts against a running emulator: the app's own client reaches it from
 * STRIPE_EMULATOR_URL alone, and the app's verifier accepts exactly what it signs.
 * (Kept here, beside the emulator it needs, rather than in lib/stripe/.)
 */

const variables = ["STRIPE_MODE", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_EMULATOR_URL"] as const;
const saved = Object.fromEntries(variables.map((name) => [name, process.env[name]]));
const devSecret = "whsec_drawdown_dev_emulator";

let emulator: StripeEmulator;
let receiver: http.Server;
const bodies: Array<{ body: string; signature: string }> = [];

beforeAll(async () => {
  receiver = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    request.on("end", () => {
      bodies.push({ body, signature: String(request.headers["stripe-signature"]) });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/stripe/webhook`;
  emulator = await startStripeEmulator({ webhookUrl, webhookSecret: devSecret });
});

afterEach(() => {
  vi.unstubAllEnvs();
  for (const name of variables) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

afterAll(async () => {
  await emulator?.close();
  receiver?.closeAllConnections();
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
});

function useEmulator(): void {
  delete process.env.STRIPE_MODE;
  delete process.env.STRIPE_SECRET_KEY;
  delete process.env.STRIPE_WEBHOOK_SECRET;
  process.env.STRIPE_EMULATOR_URL = emulator.url;
}

describe("stripeClient", () => {
  it("talks to the emulator at STRIPE_EMULATOR_URL when no secret key is set", async () => {
    useEmulator();
    const session = await stripeClient().checkout.sessions.create({
      mode: "payment",
      line_items: [{ price_data: { currency: "usd", unit_amount: 2500, product_data: { name: "Top-up" } }, quantity: 1 }],
      success_url: "http://localhost:3000/ok",
    });
    expect(session.url).toBe(`${emulator.url}/checkout/${session.id}`);
    expect(stripeClient()).toBe(stripeClient());
  });

  it("uses real Stripe with STRIPE_SECRET_KEY (no request is made here)", () => {
    useEmulator();
    process.env.STRIPE_SECRET_KEY = "sk_test_real_key_for_config_only";
    const client = stripeClient();
    expect(client.getApiField("host")).toBe("api.stripe.com");
    expect(client.getApiField("protocol")).toBe("https");
  });
});

describe("in production (NODE_ENV=production)", () => {
  it("uses the emulator only when STRIPE_MODE=emulator says so, never as a fallback", () => {
    useEmulator();
    vi.stubEnv("NODE_ENV", "production");
    expect(() => stripeClient()).toThrow(/STRIPE_MODE=emulator/);
    expect(() => webhookSecret()).toThrow(/STRIPE_MODE=emulator/);
    process.env.STRIPE_MODE = "emulator";
    expect(stripeClient().getApiField("host")).toBe("127.0.0.1");
    expect(webhookSecret()).toBe(devSecret);
  });

  it("refuses STRIPE_MODE=emulator beside a secret key", () => {
    useEmulator();
    process.env.STRIPE_MODE = "emulator";
    process.env.STRIPE_SECRET_KEY = "sk_live_x";
    expect(() => stripeClient()).toThrow(/both set/);
  });
});

describe("webhookSecret", () => {
  it("defaults to the emulator's development secret without Stripe configured", () => {
    useEmulator();
    expect(webhookSecret()).toBe(devSecret);
    process.env.STRIPE_WEBHOOK_SECRET = "whsec_configured";
    expect(webhookSecret()).toBe("whsec_configured");
  });

  it("refuses real Stripe without a webhook secret", () => {
    useEmulator();
    process.env.STRIPE_SECRET_KEY = "sk_live_x";
    expect(() => webhookSecret()).toThrow(/STRIPE_WEBHOOK_SECRET/);
  });
});

describe("constructStripeEvent", () => {
  it("accepts the emulator's signed deliveries and rejects missing, wrong or tampered ones", async () => {
    useEmulator();
    const session = await stripeClient().checkout.sessions.create({
      mode: "payment",
      line_items: [{ price_data: { currency: "usd", unit_amount: 2000, product_data: { name: "Top-up" } }, quantity: 1 }],
      metadata: { top_up_id: "top_9" },
    });
    emulator.pay(session.id);
    await emulator.webhooksIdle();
    const delivery = bodies.find((b) => b.body.includes(session.id));
    expect(delivery).toBeDefined();

    const event = constructStripeEvent(delivery!.body, delivery!.signature);
    expect(event.type).toBe("checkout.session.completed");
    expect((event.data.object as Stripe.Checkout.Session).metadata).toEqual({ top_up_id: "top_9" });

    const signatureError = Stripe.errors.StripeSignatureVerificationError;
    expect(() => constructStripeEvent(delivery!.body, null)).toThrow(signatureError);
    expect(() => constructStripeEvent(delivery!.body.replace("top_9", "top_8"), delivery!.signature)).toThrow(signatureError);
    process.env.STRIPE_WEBHOOK_SECRET = "whsec_other";
    expect(() => constructStripeEvent(delivery!.body, delivery!.signature)).toThrow(signatureError);
  });
});
