/**
 * Which Stripe the app talks to, decided from the environment once, the same way by the
 * runner (`npm run dev`/`npm start`, scripts/lib/run-app.ts), the production server
 * (server/main.ts, which refuses to start without one) and the Stripe client
 * (lib/stripe/client.ts):
 * - `STRIPE_SECRET_KEY` and `STRIPE_WEBHOOK_SECRET` set: Stripe itself, with live or test
 *   keys as the key says (`sk_live_`/`rk_live_` are live).
 * - `STRIPE_MODE=emulator` and no secret key: the local Stripe emulator. It is never a
 *   fallback: a production app whose keys went missing must not take top-ups through a
 *   local stand-in verified with a webhook secret anyone can read in this repository.
 * - anything else is refused with what to set; `STRIPE_MODE=emulator` with a secret key
 *   too is refused as ambiguous (which one did the operator mean?), not decided for them.
 */

export type StripeMode = { kind: "emulator" } | { kind: "stripe"; keys: "live" | "test" };

export type StripeModeDecision = StripeMode | { kind: "refused"; reason: string };

/** STRIPE_MODE, STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET, from `process.env` or a test. */
type StripeVariables = Readonly<Record<string, string | undefined>>;

const HOW_TO_CHOOSE =
  "Set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET (the endpoint's signing secret) to use Stripe, " +
  "or STRIPE_MODE=emulator to use the local Stripe emulator (development and tests only).";

export function decideStripeMode(vars: StripeVariables): StripeModeDecision {
  const mode = present(vars.STRIPE_MODE);
  const secretKey = present(vars.STRIPE_SECRET_KEY);
  if (mode !== undefined && mode !== "emulator") {
    return { kind: "refused", reason: `STRIPE_MODE must be "emulator" or unset, not "${mode}". ${HOW_TO_CHOOSE}` };
  }
  if (mode === "emulator") {
    return secretKey
      ? { kind: "refused", reason: "STRIPE_MODE=emulator and STRIPE_SECRET_KEY are both set: unset one (the emulator, or Stripe with that key)." }
      : { kind: "emulator" };
  }
  if (!secretKey) return { kind: "refused", reason: `Stripe is not configured. ${HOW_TO_CHOOSE}` };
  if (!present(vars.STRIPE_WEBHOOK_SECRET)) {
    return { kind: "refused", reason: "STRIPE_WEBHOOK_SECRET must be set when STRIPE_SECRET_KEY is set (the endpoint's signing secret from Stripe)." };
  }
  return { kind: "stripe", keys: /^(sk|rk)_live_/.test(secretKey) ? "live" : "test" };
}

/** The decision for `process.env`; throws the reason when it is refused. */
export function stripeMode(vars: StripeVariables = process.env): StripeMode {
  const decision = decideStripeMode(vars);
  if (decision.kind === "refused") throw new Error(decision.reason);
  return decision;
}

/** For the start-up log: "Stripe: live keys", "Stripe: test keys" or "Stripe: emulator at <url>". */
export function describeStripeMode(mode: StripeMode, emulatorUrl: string): string {
  return mode.kind === "emulator" ? `Stripe: emulator at ${emulatorUrl}` : `Stripe: ${mode.keys} keys`;
}

function present(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}
