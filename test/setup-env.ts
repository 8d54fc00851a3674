import { inject } from "vitest";

// Runs in every test worker before the test file is imported, so lib/env (read once and
// cached) sees the suite's database. See test/global-setup.ts.
process.env.DATABASE_URL = inject("databaseUrl");
// The suite's webhook receivers listen on 127.0.0.1; SSRF tests turn this off themselves
// (overrideWebhookDestinationPolicy in lib/webhooks/webhook-destination-policy.ts).
process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS = "true";
