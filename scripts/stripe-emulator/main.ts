/**
 * `npm run stripe:emulator`: the local Stripe emulator for development.
 *   STRIPE_EMULATOR_PORT   default 12111, or as far from it as PORT is from 3000 (lib/local-ports.ts)
 *   STRIPE_EMULATOR_HOST   default 127.0.0.1
 *   STRIPE_WEBHOOK_URL     default http://localhost:$PORT/api/stripe/webhook (PORT default 3000)
 *   STRIPE_WEBHOOK_SECRET  default whsec_drawdown_dev_emulator
 *   STRIPE_EMULATOR_STATE  a JSON file that keeps the state across restarts; default none (in memory)
 */
import { appPort, localPort } from "@/lib/local-ports";
import { startStripeEmulator } from "./server";

let port: number;
let webhookUrl: string;
try {
  port = localPort("STRIPE_EMULATOR_PORT");
  webhookUrl = process.env.STRIPE_WEBHOOK_URL ?? `http://localhost:${appPort()}/api/stripe/webhook`;
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
}
const webhookSecret = process.env.STRIPE_WEBHOOK_SECRET ?? "whsec_drawdown_dev_emulator";

const stateFile = process.env.STRIPE_EMULATOR_STATE || undefined;

const emulator = await startStripeEmulator({ port, host: process.env.STRIPE_EMULATOR_HOST, webhookUrl, webhookSecret, stateFile }).catch(
  (err: NodeJS.ErrnoException) => {
    // Never a silent second emulator: the app would not know which one it talks to.
    console.error(
      err.code === "EADDRINUSE"
        ? `Port ${port} is already in use (another Stripe emulator or \`npm run dev\`?): set STRIPE_EMULATOR_PORT, or PORT for a second checkout.`
        : `The Stripe emulator did not start: ${err.message}`,
    );
    process.exit(1);
  },
);
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
