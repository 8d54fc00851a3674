import { runApp } from "./lib/run-app";

// `npm run dev`: embedded PostgreSQL (unless DATABASE_URL), migrations, the Stripe
// emulator (unless STRIPE_SECRET_KEY), then `next dev` on PORT (3000).
void runApp("dev");
