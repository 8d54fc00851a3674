import Stripe from "stripe";
import { defaultStripeEmulatorUrl } from "@/lib/local-ports";
import { decideStripeMode } from "./stripe-mode";

/**
 * The one place that builds the client for the Stripe the environment chose
 * (lib/stripe/stripe-mode.ts):
 * - `STRIPE_SECRET_KEY` set: real Stripe with that key.
 * - `STRIPE_MODE=emulator` (dev, tests, CI): the same SDK pointed at the project's Stripe
 *   emulator at `STRIPE_EMULATOR_URL` (default http://127.0.0.1:12111, whose port follows
 *   PORT: lib/local-ports.ts) through the SDK's `host`/`port`/`protocol` options, with a
 *   placeholder test key. Outside NODE_ENV=production (vitest, scripts) no key means the
 *   emulator without saying so; in production it is an error, never a silent fallback
 *   (the production server refuses to start before that: server/main.ts).
 * Nothing else in the app knows the emulator exists.
 *
 * These three variables are read from `process.env` at call time rather than through the
 * cached `env()`: a test process starts its emulator on a free port and sets
 * `STRIPE_EMULATOR_URL` afterwards, which a value cached at the first `env()` call would
 * miss. The client is rebuilt only when that configuration changes.
 */

const emulatorApiKey = "sk_test_emulator";
/** Matches the emulator's default (`npm run stripe:emulator`); never accepted with real Stripe. */
const devWebhookSecret = "whsec_drawdown_dev_emulator";

let cached: { configKey: string; client: Stripe } | undefined;

export function stripeClient(): Stripe {
  const secretKey = nonEmpty(process.env.STRIPE_SECRET_KEY);
  const emulatorUrl = nonEmpty(process.env.STRIPE_EMULATOR_URL) ?? defaultStripeEmulatorUrl();
  const configKey = secretKey ? `stripe:${secretKey}` : `emulator:${emulatorUrl}`;
  if (cached?.configKey === configKey) return cached.client;
  if (!secretKey || nonEmpty(process.env.STRIPE_MODE)) requireEmulatorChosen();

  const client = secretKey ? new Stripe(secretKey) : new Stripe(emulatorApiKey, emulatorConnection(emulatorUrl));
  cached = { configKey, client };
  return client;
}

/**
 * The secret inbound webhooks are verified with: `STRIPE_WEBHOOK_SECRET`, or the emulator's
 * development secret in emulator mode. Real Stripe without a webhook secret is a
 * configuration error, never a silent fallback.
 */
export function webhookSecret(): string {
  const configured = nonEmpty(process.env.STRIPE_WEBHOOK_SECRET);
  if (configured) return configured;
  if (nonEmpty(process.env.STRIPE_SECRET_KEY)) {
    throw new Error("STRIPE_WEBHOOK_SECRET must be set when STRIPE_SECRET_KEY is set (the endpoint's signing secret from Stripe)");
  }
  requireEmulatorChosen();
  return devWebhookSecret;
}

/**
 * Throws unless the emulator is what the environment chose: STRIPE_MODE=emulator without a
 * secret key, or no key at all outside production. A refused STRIPE_MODE (a key beside
 * STRIPE_MODE=emulator, an unknown value) is refused everywhere.
 */
function requireEmulatorChosen(): void {
  const decision = decideStripeMode(process.env);
  if (decision.kind === "emulator") return;
  const unconfigured = !nonEmpty(process.env.STRIPE_SECRET_KEY) && !nonEmpty(process.env.STRIPE_MODE);
  if (unconfigured && process.env.NODE_ENV !== "production") return;
  throw new Error(decision.kind === "refused" ? decision.reason : "Stripe is configured with a secret key, not the emulator");
}

/** How far a signature's timestamp may be from now, either way (Stripe's own default tolerance). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * Verifies a webhook's `Stripe-Signature` over the exact raw body and returns the event.
 * Throws `Stripe.errors.StripeSignatureVerificationError` for a missing, malformed or
 * wrong signature, when the body is not what was signed, and when the signed timestamp
 * (`t=`) is more than 5 minutes in the past or in the future. The SDK checks only the
 * past; a signature dated ahead would stay replayable for as long as it is ahead (a
 * leaked secret's signatures dated next year), so the future is checked here, over the
 * same `t=` the SDK verified (its parser keeps the last one).
 */
export function constructStripeEvent(rawBody: string, signature: string | null, now: number = Date.now()): Stripe.Event {
  const header = signature ?? "";
  const event = stripeClient().webhooks.constructEvent(rawBody, header, webhookSecret(), SIGNATURE_TOLERANCE_SECONDS, undefined, now);
  const signedAt = signedTimestamp(header);
  if (signedAt === null || signedAt > Math.floor(now / 1000) + SIGNATURE_TOLERANCE_SECONDS) {
    throw new Stripe.errors.StripeSignatureVerificationError(header, rawBody, { message: "Timestamp outside the tolerance zone (in the future)" });
  }
  return event;
}

/** The `t=` of a Stripe-Signature header, read as the SDK reads it (the last one wins). */
function signedTimestamp(header: string): number | null {
  let timestamp: number | null = null;
  for (const item of header.split(",")) {
    const [key, value] = item.split("=");
    if (key === "t") timestamp = Number.parseInt(value ?? "", 10);
  }
  return timestamp !== null && Number.isFinite(timestamp) ? timestamp : null;
}

function emulatorConnection(url: string): Stripe.StripeConfig {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`STRIPE_EMULATOR_URL is not a URL: "${url}"`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new Error(`STRIPE_EMULATOR_URL must be http(s), got "${url}"`);
  }
  const protocol = parsed.protocol === "https:" ? "https" : "http";
  return {
    host: parsed.hostname,
    port: parsed.port || (protocol === "https" ? 443 : 80),
    protocol,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}
