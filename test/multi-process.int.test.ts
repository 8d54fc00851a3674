import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, pool } from "@/lib/db";
import { readWallet, verifyLedger } from "@/lib/ledger";
import { Dec } from "@/lib/money";
import { apiClient } from "@/test/api-server";
import { startAppProcess, stopAppProcesses, type AppProcess } from "@/test/app-processes";
import { createTestPlatform } from "@/test/factories";

/**
 * The stateless app tier of docs/scaling.md: four app processes (each the router the
 * production server uses for /api/v1, over the route sources) on one PostgreSQL, and one
 * hot wallet charged by single-event requests spread over all four at once. Nothing ties
 * the processes together but the database: each runs its own ledger batches, so
 * concurrent batches of one customer meet only as SERIALIZABLE transactions (and their
 * retries). The balance must come out exact and verifyLedger clean.
 */

const PROCESSES = 4;
const REQUESTS = 400;
const CONCURRENCY = 32;
const UNIT_PRICE = new Dec("0.001");
const FUNDING = 100;

const apps: AppProcess[] = [];
/** 200 answers per app process, in the order of `apps`. */
const answered: number[] = [];

let apiKey: string;

beforeAll(async () => {
  apiKey = (await createTestPlatform("Multi-process")).apiKey;
  apps.push(...(await Promise.all(Array.from({ length: PROCESSES }, startAppProcess))));
}, 120_000);
afterAll(async () => {
  await stopAppProcesses(apps);
  await closeDb();
});

describe("four app processes on one PostgreSQL", () => {
  it("one hot wallet charged through all four at once is exact", async () => {
    const api = apiClient(apps[0]!.url, apiKey);
    const product = await api("POST", "/products", {
      name: "Calls",
      code: "calls",
      publish: true,
      prices: [{ name: "API calls", type: "usage_based", billing_model: { type: "real_time" }, usage_calculation: { event_type: "api_call", usage_type: "unit" }, pricing: [{ asset: "USD", values: [{ unit_price: 0.001 }] }] }],
    });
    expect(product.status).toBe(201);
    const customer = await api("POST", "/customers", { name: "Hot", subscriptions: [{ products: [{ code: "calls" }] }] });
    expect(customer.status).toBe(201);
    const customerId = customer.body.id as string;
    expect((await api("POST", `/customers/${customerId}/wallet/adjustments`, { transaction_id: "fund", asset: "USD", amount: FUNDING, reason: "external_topup" })).status).toBe(201);

    const clients = apps.map((app) => apiClient(app.url, apiKey));
    const statuses: Record<string, number> = {};
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < REQUESTS) {
          const n = next++;
          const res = await clients[n % PROCESSES]!("POST", "/events", {
            customer_id: customerId,
            events: [{ id: `hot-${n}`, event_type: "api_call", occurred_at: "2026-11-30T12:00:00Z" }],
          });
          const key = res.status === 200 ? res.body.results[0].status : String(res.status);
          statuses[key] = (statuses[key] ?? 0) + 1;
          if (res.status === 200) answered[n % PROCESSES] = (answered[n % PROCESSES] ?? 0) + 1;
        }
      }),
    );

    expect(statuses).toEqual({ billed: REQUESTS });
    expect(apps.map((_, i) => answered[i] ?? 0)).toEqual(Array(PROCESSES).fill(REQUESTS / PROCESSES));
    const { rows } = await pool().query<{ n: string }>("SELECT count(*) AS n FROM usage_events WHERE customer_id = $1 AND status = 'billed'", [customerId]);
    expect(Number(rows[0]!.n)).toBe(REQUESTS);
    const account = (await readWallet(customerId)).find((a) => a.name === "default" && a.asset === "USD");
    expect(account?.available.toFixed()).toBe(new Dec(FUNDING).minus(UNIT_PRICE.times(REQUESTS)).toFixed());
    expect(await verifyLedger(customerId)).toEqual([]);
  }, 120_000);
});
