/**
 * `npm run stripe:emulator`: the local Stripe emulator for development.
 *   STRIPE_EMULATOR_PORT   default 12111
 *   STRIPE_EMULATOR_HOST   default 127.0.0.1
 *   STRIPE_WEBHOOK_URL     default http://localhost:3000/api/stripe/webhook
 *   STRIPE_WEBHOOK_SECRET  default whsec_drawdown_dev_emulator
 *   STRIPE_EMULATOR_STATE  a JSON file that keeps the state across restarts; default none (in memory)
 */
import { startStripeEmulator } from "./server";

const port = Number(process.env.STRIPE_EMULATOR_PORT ?? 12111);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`STRIPE_EMULATOR_PORT must be a port number, got "${process.env.STRIPE_EMULATOR_PORT}"`);
  process.exit(1);
}
const webhookUrl = process.env.STRIPE_WEBHOOK_URL ?? "http://localhost:3000/api/stripe/webhook";
const webhookSecret = process.env.STRIPE_WEBHOOK_SECRET ?? "whsec_drawdown_dev_emulator";

const stateFile = process.env.STRIPE_EMULATOR_STATE || undefined;

const emulator = await startStripeEmulator({ port, host: process.env.STRIPE_EMULATOR_HOST, webhookUrl, webhookSecret, stateFile });
console.log(`Stripe emulator listening on ${emulator.url}${stateFile ? ` (state in ${stateFile})` : " (state in memory)"}`);
console.log(`  API (point the stripe SDK here): ${emulator.url}/v1   control: ${emulator.url}/_emulator`);
console.log(`  webhooks → ${webhookUrl}`);

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping the Stripe emulator`);
  void emulator.close().then(() => process.exit(0));
};
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));
