import { requireSupportedNode } from "./lib/node-version";

// `npm run dev`: embedded PostgreSQL (unless DATABASE_URL), migrations, the Stripe
// emulator (unless STRIPE_SECRET_KEY), then `next dev` on PORT (3000). The Node version
// is checked before anything that needs it is loaded.
requireSupportedNode();
const { runApp } = await import("./lib/run-app");
void runApp("dev");
