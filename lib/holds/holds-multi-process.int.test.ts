import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, pool } from "@/lib/db";
import { readWallet, verifyLedger } from "@/lib/ledger";
import { apiClient } from "@/test/api-server";
import { startAppProcess, stopAppProcesses, type AppProcess } from "@/test/app-processes";
import { createTestPlatform } from "@/test/factories";

/**
 * Holds across app processes (the stateless app tier of docs/scaling.md): three processes,
 * each the router the production server uses for /api/v1 with its own ledger batches, on
 * one PostgreSQL. Parallel holds on one wallet spread over all three reserve exactly what
 * fits; then every hold is captured twice at once through two different processes: one
 * capture wins (charged once), the other is a 409 that charged nothing. Nothing ties the
 * processes together but the ledger's per-customer lock in PostgreSQL.
 */

const PROCESSES = 3;
const HOLDS = 200;
const FUNDING = 50;
const CONCURRENCY = 24;

const apps: AppProcess[] = [];

let apiKey: string;

beforeAll(async () => {
  apiKey = (await createTestPlatform("Holds across processes")).apiKey;
  apps.push(...(await Promise.all(Array.from({ length: PROCESSES }, startAppProcess))));
}, 120_000);
afterAll(async () => {
  await stopAppProcesses(apps);
  await closeDb();
});

/** Runs `task(0..n-1)` with at most CONCURRENCY at a time. */
async function inParallel(n: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < n) await task(next++);
    }),
  );
}

describe("holds through three app processes on one PostgreSQL", () => {
  it("parallel holds reserve exactly what fits; a capture raced through two processes charges once", async () => {
    const api = apiClient(apps[0]!.url, apiKey);
    const product = await api("POST", "/products", {
      name: "Jobs",
      code: "jobs",
      publish: true,
      prices: [{ name: "Jobs", type: "usage_based", billing_model: { type: "real_time" }, usage_calculation: { event_type: "job", usage_type: "unit" }, pricing: [{ asset: "USD", values: [{ unit_price: 0.5 }] }] }],
    });
    expect(product.status).toBe(201);
    const customer = await api("POST", "/customers", { name: "Hot", subscriptions: [{ products: [{ code: "jobs" }] }] });
    expect(customer.status).toBe(201);
    const customerId = customer.body.id as string;
    const holdsPath = `/customers/${customerId}/wallet/holds`;
    expect((await api("POST", `/customers/${customerId}/wallet/adjustments`, { transaction_id: "fund", asset: "USD", amount: FUNDING, reason: "external_topup" })).status).toBe(201);

    const clients = apps.map((app) => apiClient(app.url, apiKey));
    const statuses: Record<number, number> = {};
    const held: string[] = [];
    await inParallel(HOLDS, async (i) => {
      const res = await clients[i % PROCESSES]!("POST", holdsPath, { id: `h-${i}`, amount: 1, asset: "USD" });
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      if (res.status === 201) held.push(res.body.id as string);
    });
    expect(statuses).toEqual({ 201: FUNDING, 402: HOLDS - FUNDING });
    let account = (await readWallet(customerId)).find((a) => a.id === "default:USD")!;
    expect([account.available.toFixed(), account.pendingOut.toFixed()]).toEqual(["0", String(FUNDING)]);
    expect(await verifyLedger(customerId)).toEqual([]);

    // Each hold captured twice at once, through two different processes, with the same event.
    const outcomes: string[] = [];
    await inParallel(held.length, async (i) => {
      const capture = { events: [{ id: `job-${i}`, event_type: "job", occurred_at: "2026-11-30T12:00:00Z" }] };
      const answers = await Promise.all([0, 1].map((k) => clients[(i + k) % PROCESSES]!("POST", `${holdsPath}/${held[i]}/capture`, capture)));
      outcomes.push(answers.map((a) => a.status).sort().join(","));
    });
    expect(outcomes).toEqual(Array(held.length).fill("200,409"));
    const { rows } = await pool().query<{ n: string }>(
      "SELECT count(*) AS n FROM ledger_transactions WHERE customer_id = $1 AND kind = 'charge'",
      [customerId],
    );
    expect(Number(rows[0]!.n)).toBe(held.length);
    account = (await readWallet(customerId)).find((a) => a.id === "default:USD")!;
    // 50 holds of 1, each captured at 0.5: 25 charged, the rest released.
    expect([account.available.toFixed(), account.pendingOut.toFixed()]).toEqual([String(FUNDING - held.length * 0.5), "0"]);
    const { rows: open } = await pool().query<{ n: string }>("SELECT count(*) AS n FROM holds WHERE customer_id = $1 AND status <> 'captured'", [customerId]);
    expect(Number(open[0]!.n)).toBe(0);
    expect(await verifyLedger(customerId)).toEqual([]);
  }, 180_000);
});
