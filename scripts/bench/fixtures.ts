import { Dec } from "@/lib/money";

/**
 * The benchmark's data, made the way a platform would make it: platform and key through
 * lib (there is no HTTP route for them), everything else over the HTTP API of the running
 * app. Only `api_call` events are sent, so every billed event costs exactly UNIT_PRICE.
 */

export const EVENT_TYPE = "api_call";
/** The vendor `--costs` events name by external id. */
export const BENCH_VENDOR = "bench-vendor";
export const UNIT_PRICE = new Dec("0.001");
export const ASSET = "USD";
export const PRODUCT_CODE = "bench";
/** Enough that no phase can run a wallet dry (a refusal would be a benchmark bug). */
export const BATCH_FUNDING = new Dec("1000");
export const HOT_FUNDING = new Dec("1000000");
const SETUP_CONCURRENCY = 16;

export interface BenchCustomer {
  id: string;
  funded: Dec;
}

export interface Fixtures {
  setup: SetupStats;
  apiKey: string;
  platformId: string;
  /** Phases (a), (c) and (c') over HTTP. */
  httpCustomers: BenchCustomer[];
  httpHot: BenchCustomer;
  /** The same shapes for the ledger-direct baseline (never touched over HTTP). */
  directCustomers: BenchCustomer[];
  directHot: BenchCustomer;
  /** Warm-up traffic only, so the measured customers' counts hold measured traffic alone. */
  warmup: BenchCustomer[];
}

export type Api = (method: string, pathname: string, body?: unknown) => Promise<{ status: number; body: unknown }>;

export function apiClient(baseUrl: string, apiKey: string): Api {
  return async (method, pathname, body) => {
    const response = await fetch(`${baseUrl}/api/v1${pathname}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    let json: unknown = text;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      // keep the text: it goes into the error message
    }
    return { status: response.status, body: json };
  };
}

async function expectStatus(api: Api, status: number, method: string, pathname: string, body?: unknown): Promise<unknown> {
  const res = await api(method, pathname, body);
  if (res.status !== status) {
    throw new Error(`${method} ${pathname} answered ${res.status} (expected ${status}): ${JSON.stringify(res.body).slice(0, 500)}`);
  }
  return res.body;
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!, i);
    }
  });
  await Promise.all(workers);
  return out;
}

/** Product: the simple unit price the benchmark bills, plus PRODUCT.md's volume price. */
const benchProduct = {
  name: "Bench",
  code: PRODUCT_CODE,
  publish: true,
  prices: [
    {
      name: "API calls",
      type: "usage_based",
      billing_model: { type: "real_time" },
      usage_calculation: { event_type: EVENT_TYPE, usage_type: "unit" },
      pricing: [{ asset: ASSET, values: [{ unit_price: Number(UNIT_PRICE.toFixed()) }] }],
    },
    {
      name: "Input tokens",
      type: "usage_based",
      billing_model: { type: "real_time" },
      usage_calculation: { event_type: "message_completed", usage_type: "volume", volume_field: "input_tokens", billable_dimensions: ["model"] },
      pricing: [
        {
          asset: ASSET,
          values: [
            { dimensions: { model: "gpt-4-1" }, volume_rate: 1.25, package_size: 1000000 },
            { dimensions: { model: "*" }, volume_rate: 2.5, package_size: 1000000 },
          ],
        },
      ],
    },
  ],
};

async function createCustomers(api: Api, count: number, funded: Dec, label: string, stats: SetupStats): Promise<BenchCustomer[]> {
  return mapLimit(Array.from({ length: count }), SETUP_CONCURRENCY, async (_, i) => {
    const customer = (await expectStatus(api, 201, "POST", "/customers", {
      name: `${label} ${i}`,
      external_id: `${label}-${i}`,
      subscriptions: [{ products: [{ code: PRODUCT_CODE }] }],
    })) as { id: string };
    await fund(api, customer.id, funded, stats);
    return { id: customer.id, funded };
  });
}

export interface SetupStats {
  /** Funding adjustments answered 500 or 503 and sent again (same transaction_id: idempotent). */
  fundingRetries: number;
}

const FUNDING_ATTEMPTS = 5;

/**
 * Funds a customer through the adjustments API. A 500 or 503 is retried with the same
 * transaction_id (a replay of a committed adjustment answers 201 and writes nothing):
 * concurrent adjustments on distinct new customers can exhaust the ledger's serialization
 * retries on a small database (see docs/benchmarks.md); the count is reported.
 */
async function fund(api: Api, customerId: string, funded: Dec, stats: SetupStats): Promise<void> {
  const body = {
    transaction_id: `fund-${customerId}`,
    asset: ASSET,
    amount: Number(funded.toFixed()),
    reason: "external_topup",
    description: "benchmark funding",
  };
  for (let attempt = 1; ; attempt++) {
    const res = await api("POST", `/customers/${customerId}/wallet/adjustments`, body);
    if (res.status === 201) return;
    if ((res.status !== 500 && res.status !== 503) || attempt === FUNDING_ATTEMPTS) {
      throw new Error(`funding ${customerId} answered ${res.status} (attempt ${attempt}): ${JSON.stringify(res.body).slice(0, 500)}`);
    }
    stats.fundingRetries++;
    // A 503 (serialization retries exhausted, or no pooled connection in time on a loaded
    // machine) asks for a retry after a moment; a 500 is retried sooner.
    await new Promise((r) => setTimeout(r, (res.status === 503 ? 1000 : 50) * attempt));
  }
}

/**
 * Platform + test key through lib (DATABASE_URL must be set before this is called: lib/db
 * reads it on first use), then the CREDIT asset, the product, the customers and their
 * funding over HTTP.
 */
export async function createFixtures(baseUrl: string, customers: number, log: (line: string) => void): Promise<Fixtures> {
  const { createPlatform } = await import("@/lib/platforms/create-platform");
  const { createApiKey } = await import("@/lib/auth/api-keys");
  const platform = await createPlatform({ name: "Benchmark" });
  const { key } = await createApiKey(platform.id, false);
  const api = apiClient(baseUrl, key);

  // PRODUCT.md's custom asset (the example product prices requests in CREDIT).
  await expectStatus(api, 201, "POST", "/assets", { code: "CREDIT", name: "Credits", precision: 0, rates: [{ source: "USD", rate: 0.01 }] });
  await expectStatus(api, 201, "POST", "/products", benchProduct);
  // Named by the events' costs under --costs (http-phases.ts).
  await expectStatus(api, 201, "POST", "/vendors", { name: "Bench vendor", external_id: BENCH_VENDOR });

  const started = Date.now();
  const stats: SetupStats = { fundingRetries: 0 };
  const httpCustomers = await createCustomers(api, customers, BATCH_FUNDING, "http", stats);
  const [httpHot] = await createCustomers(api, 1, HOT_FUNDING, "http-hot", stats);
  const directCustomers = await createCustomers(api, customers, BATCH_FUNDING, "direct", stats);
  const [directHot] = await createCustomers(api, 1, HOT_FUNDING, "direct-hot", stats);
  const warmup = await createCustomers(api, 16, BATCH_FUNDING, "warmup", stats);
  log(`created and funded ${2 * customers + 18} customers over HTTP in ${((Date.now() - started) / 1000).toFixed(1)} s` +
    (stats.fundingRetries ? `; ${stats.fundingRetries} funding adjustment(s) answered 500 or 503 and were retried` : ""));
  return { setup: stats, apiKey: key, platformId: platform.id, httpCustomers, httpHot: httpHot!, directCustomers, directHot: directHot!, warmup };
}
