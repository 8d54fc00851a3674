import { randomBytes } from "node:crypto";
import { migrate } from "@/scripts/db/migrate";
import { makeTempDataDir, startEmbeddedPostgres } from "@/scripts/lib/embedded-pg";
import { startStripeEmulator } from "@/scripts/stripe-emulator/server";
import { buildIfNeeded, freePort, startAppServer } from "./fixtures/app-server";
import { startSmtpCatcher } from "./fixtures/smtp-catcher";

/**
 * Everything the journeys run against, all real and all local: a throwaway embedded
 * PostgreSQL (migrated), the Stripe emulator (its webhooks go to the app), an SMTP
 * catcher, and a production build of the app (`next build` + `next start`) wired to
 * them. Specs find them through E2E_* variables (workers inherit this process's env).
 * The returned function stops all of it, app first.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const stops: (() => Promise<void>)[] = [];
  const teardown = async () => {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => console.error("[e2e] teardown:", error));
  };
  try {
    const db = await startEmbeddedPostgres({ dataDir: await makeTempDataDir(), persistent: false });
    stops.push(() => db.stop());
    await migrate(db.url);

    const smtp = await startSmtpCatcher();
    stops.push(() => smtp.close());

    const port = await freePort();
    const appUrl = `http://127.0.0.1:${port}`;
    const webhookSecret = `whsec_e2e_${randomBytes(16).toString("hex")}`;
    const emulator = await startStripeEmulator({ webhookUrl: `${appUrl}/api/stripe/webhook`, webhookSecret });
    stops.push(() => emulator.close());

    const { STRIPE_SECRET_KEY: _real, ...inherited } = process.env;
    const env: NodeJS.ProcessEnv = {
      ...inherited,
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: db.url,
      APP_URL: appUrl,
      NEXTAUTH_URL: appUrl,
      NEXTAUTH_SECRET: randomBytes(32).toString("hex"),
      STRIPE_MODE: "emulator",
      STRIPE_EMULATOR_URL: emulator.url,
      STRIPE_WEBHOOK_SECRET: webhookSecret,
      EMAIL_SERVER: smtp.smtpUrl,
      EMAIL_FROM: "Billing <billing@drawdown.test>",
      // The console's webhook journey delivers to a receiver on this machine (as test/setup-env.ts does).
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
    };
    await buildIfNeeded({ ...env, NODE_ENV: "production" });
    const app = await startAppServer(port, { ...env, NODE_ENV: "production" });
    stops.push(() => app.stop());

    process.env.E2E_BASE_URL = app.url;
    process.env.E2E_DATABASE_URL = db.url;
    process.env.E2E_STRIPE_EMULATOR_URL = emulator.url;
    process.env.E2E_SMTP_URL = smtp.httpUrl;
    // The fixtures create platforms in-process (lib/platforms) against the suite's database.
    process.env.DATABASE_URL = db.url;
    return teardown;
  } catch (error) {
    await teardown();
    throw error;
  }
}
