import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { apiClient, startTestApiServer, type TestApiServer } from "@/test/api-server";
import { createTestPlatform } from "@/test/factories";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "..");

let server: TestApiServer;
let api: ReturnType<typeof apiClient>;
let customer: string;

beforeAll(async () => {
  server = await startTestApiServer();
  api = apiClient(server.url, (await createTestPlatform("Stats verify")).apiKey);
  const price = { name: "Calls", type: "usage_based", billing_model: { type: "real_time" }, usage_calculation: { event_type: "call", usage_type: "unit" }, pricing: [{ asset: "USD", values: [{ unit_price: 0.1 }] }] };
  expect((await api("POST", "/products", { name: "Calls", code: "calls", publish: true, prices: [price] })).status).toBe(201);
  customer = (await api("POST", "/customers", { name: "V", subscriptions: [{ products: [{ code: "calls" }] }] })).body.id;
  expect((await api("POST", `/customers/${customer}/wallet/adjustments`, { transaction_id: `f-${customer}`, asset: "USD", amount: 1, reason: "gift" })).status).toBe(201);
  const vendor = (await api("POST", "/vendors", { name: "OpenAI" })).body.id;
  const events = [1, 2, 3].map((i) => ({ id: `v-${i}`, event_type: i === 3 ? "other" : "call", occurred_at: `2026-11-0${i}T12:00:00Z`, costs: [{ vendor_id: vendor, amount: "0.0123", currency: "USD" }] }));
  expect((await api("POST", "/events", { customer_id: customer, events })).status).toBe(200);
});
afterAll(() => server.close());

function statsVerify(args: string[]) {
  return run(process.execPath, ["--import", "tsx", path.join(root, "scripts/stats-verify.ts"), ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL },
    timeout: 60_000,
  }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (err: { code: number; stdout: string }) => ({ code: err.code, stdout: err.stdout }),
  );
}

describe("npm run stats:verify", () => {
  it("exits 0 when the rollups equal a recomputation from the events, for one customer and for all", async () => {
    const one = await statsVerify(["--customer", customer]);
    expect(one).toEqual({ code: 0, stdout: `stats:verify: the rollups equal a recomputation from the events (customer ${customer})\n` });
    const all = await statsVerify([]);
    expect(all.code, all.stdout).toBe(0);
    expect(all.stdout).toMatch(/^stats:verify: the rollups equal a recomputation from the events \(\d+ customers\)\n$/);
  });

  it("exits 1 and prints each difference when a rollup is off by the last digit or missing", async () => {
    await pool().query(
      "UPDATE usage_rollups SET amount = amount + 0.000000000001 WHERE customer_id = $1 AND kind = 'cost' AND product_id = '*' AND vendor_id = '*' AND day = '2026-11-02'",
      [customer],
    );
    await pool().query("DELETE FROM usage_rollups WHERE customer_id = $1 AND kind = 'events' AND status = 'unbilled' AND product_id = '*' AND vendor_id = '*'", [customer]);
    const res = await statsVerify(["--customer", customer]);
    expect(res.code).toBe(1);
    expect(res.stdout.split("\n").filter(Boolean).sort()).toEqual(
      [
        `${customer}  2026-11-02|*|*|cost|USD|  stored 0.012300000001 (1)  recomputed 0.0123 (1)`,
        `${customer}  2026-11-03|*|*|events||unbilled  stored none  recomputed 0 (1)`,
        `stats:verify: 2 rollup rows differ from the events (customer ${customer})`,
      ].sort(),
    );
  });
});
