import { requireSupportedNode } from "./lib/node-version";

// `npm start`: as `npm run dev`, but the production server (server/main.ts) on a
// production build (built first when .next/BUILD_ID is missing), and Stripe only as chosen:
// STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET, or STRIPE_MODE=emulator (it refuses to
// start otherwise). The Node version is checked before anything that needs it is loaded.
requireSupportedNode();
const { runApp } = await import("./lib/run-app");
void runApp("start");
