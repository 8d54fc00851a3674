import { z } from "zod";
import { defaultStripeEmulatorUrl } from "./local-ports";

/**
 * The environment, read once and validated. Defaults make `npm run dev` work with nothing
 * set; scripts/dev.ts fills DATABASE_URL (embedded PostgreSQL) and the Stripe emulator's
 * address before Next.js starts. Production refuses to start without real secrets.
 */
const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: z.string().min(1).optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  APP_URL: z.string().url().default("http://localhost:3000"),
  /**
   * How many reverse proxies of the operator's stand in front of the app; each appends to
   * X-Forwarded-For. 0: the header is ignored and the socket's peer is the client
   * (lib/http/client-address.ts).
   */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  NEXTAUTH_URL: z.string().url().optional(),
  NEXTAUTH_SECRET: z.string().min(16).optional(),
  STRIPE_SECRET_KEY: z.string().min(1).optional(),
  STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
  /**
   * Where the local Stripe emulator listens when STRIPE_SECRET_KEY is unset; default
   * 127.0.0.1 on STRIPE_EMULATOR_PORT, which follows PORT (lib/local-ports.ts).
   */
  STRIPE_EMULATOR_URL: z.string().url().default(() => defaultStripeEmulatorUrl()),
  EMAIL_SERVER: z.string().optional(),
  EMAIL_FROM: z.string().default("Drawdown <billing@localhost>"),
  /**
   * Group commit: at most this many customers' ledger batches share one database
   * transaction (lib/ledger/customer-batch.ts). 1: one transaction per customer, for a
   * distributed PostgreSQL where a transaction should stay on one shard (docs/scaling.md).
   */
  LEDGER_GROUP_CUSTOMERS: z.coerce.number().int().min(1).max(1000).default(64),
  /**
   * How long a ledger batch waits for a customer's lock held by another process (a batch
   * of the same customer there) before it gives up with 503 `busy`, in milliseconds.
   */
  LEDGER_LOCK_TIMEOUT_MS: z.coerce.number().int().min(1).max(600_000).default(10_000),
  /** Requests per second per API key (token bucket refill); burst is 2x. */
  API_RATE_LIMIT: z.coerce.number().int().min(1).default(1000),
  /**
   * How long the console's request log keeps each `/api/v1` call (lib/request-log), in
   * hours; 0 records nothing.
   */
  REQUEST_LOG_RETENTION_HOURS: z.coerce.number().int().min(0).max(24 * 366).default(72),
  /** Run the background job worker inside the app process. */
  JOBS_IN_PROCESS: z.enum(["true", "false"]).default("true"),
  /**
   * Let webhook endpoints point at loopback, private (RFC 1918, ULA), CGNAT addresses and
   * internal host names, for receivers on the operator's own network. Off by default: an
   * API key must not reach inside the network (lib/webhooks/webhook-destination-policy.ts).
   */
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: z.enum(["true", "false"]).default("false"),
  /**
   * Port of the Prometheus endpoint (`GET /metrics`), served by `npm start` apart from the
   * app's port; unset: no metrics are collected at all (lib/observability/metrics.ts).
   */
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /** Address the metrics port binds to; loopback unless a scraper elsewhere needs it. */
  METRICS_HOST: z.string().min(1).default("127.0.0.1"),
  /** `json`: log lines as JSON objects, one per line (lib/observability/logger.ts). */
  LOG_FORMAT: z.enum(["text", "json"]).default("text"),
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    throw new Error(`Invalid environment: ${z.prettifyError(parsed.error)}`);
  }
  cached = parsed.data;
  return cached;
}

/** Development-only secret for signing; production must set NEXTAUTH_SECRET. */
export function authSecret(): string {
  const e = env();
  if (e.NEXTAUTH_SECRET) return e.NEXTAUTH_SECRET;
  if (e.NODE_ENV === "production") throw new Error("NEXTAUTH_SECRET must be set in production");
  return "drawdown-development-secret-not-for-production";
}

export function databaseUrl(): string {
  const url = env().DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: start the app with `npm run dev` (embedded PostgreSQL) or set it");
  return url;
}
