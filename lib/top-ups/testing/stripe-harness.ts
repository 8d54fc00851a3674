import http from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { startStripeEmulator, type StripeEmulator } from "@/scripts/stripe-emulator/server";
import { webhookSecret } from "@/lib/stripe/client";
import { POST as stripeWebhookRoute } from "@/app/api/stripe/webhook/route";

/**
 * Test wiring for top-ups, without mocks: the project's Stripe emulator on a free port,
 * the app's Stripe client pointed at it (STRIPE_EMULATOR_URL, read by lib/stripe/client.ts
 * at call time), and a small node:http server that hands every webhook the emulator sends
 * to the real route handler (`POST(new Request(…))`) and sends its answer back.
 */
export interface StripeHarness {
  emulator: StripeEmulator;
  /** The forwarder's URL: a POST here reaches the real webhook route over HTTP. */
  webhookUrl: string;
  /** Every answer the webhook route gave, oldest first. */
  answers: WebhookAnswer[];
  close(): Promise<void>;
}

export interface WebhookAnswer {
  eventId: string | null;
  status: number;
  body: Record<string, unknown>;
}

export async function startStripeHarness(): Promise<StripeHarness> {
  const answers: WebhookAnswer[] = [];
  const forwarder = http.createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const headers = new Headers();
      for (const [name, value] of Object.entries(incoming.headers)) if (typeof value === "string") headers.set(name, value);
      void stripeWebhookRoute(new Request("http://localhost/api/stripe/webhook", { method: "POST", headers, body }))
        .then(async (response) => {
          const text = await response.text();
          answers.push({ eventId: eventIdOf(body), status: response.status, body: JSON.parse(text) as Record<string, unknown> });
          outgoing.writeHead(response.status, { "Content-Type": response.headers.get("content-type") ?? "application/json" }).end(text);
        })
        .catch((error: unknown) => outgoing.writeHead(599).end(String(error)));
    });
  });
  await new Promise<void>((resolve) => forwarder.listen(0, "127.0.0.1", resolve));
  const port = (forwarder.address() as AddressInfo).port;
  const webhookUrl = `http://127.0.0.1:${port}/api/stripe/webhook`;
  const emulator = await startStripeEmulator({
    webhookUrl,
    webhookSecret: webhookSecret(),
    retry: { attempts: 5, baseDelayMs: 20 },
  });
  delete process.env.STRIPE_SECRET_KEY;
  process.env.STRIPE_EMULATOR_URL = emulator.url;
  return {
    emulator,
    webhookUrl,
    answers,
    async close() {
      await emulator.close();
      await new Promise<void>((resolve) => {
        forwarder.close(() => resolve());
        forwarder.closeAllConnections();
      });
    },
  };
}

function eventIdOf(body: string): string | null {
  try {
    return (JSON.parse(body) as { id?: string }).id ?? null;
  } catch {
    return null;
  }
}

/**
 * A webhook request for `event`, signed like Stripe signs (or with `secret`, to forge one;
 * `timestamp`, in unix seconds, dates the signature).
 */
export function signedWebhookRequest(event: object, secret = webhookSecret(), timestamp?: number): Request {
  const payload = JSON.stringify(event);
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret, ...(timestamp !== undefined ? { timestamp } : {}) });
  return new Request("http://localhost/api/stripe/webhook", {
    method: "POST",
    headers: { "Content-Type": "application/json", "Stripe-Signature": signature },
    body: payload,
  });
}

/** Polls `probe` until it returns a value that is not undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}
