import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { Dec } from "@/lib/money";
import { apiClient, startTestApiServer, type TestApiServer } from "@/test/api-server";
import { createTestPlatform } from "@/test/factories";

/**
 * The migration that created usage_rollups filled them from the events stored before it
 * (which had no costs) with SQL of its own: it must give the rows the usage flush writes
 * (lib/stats/rollup-facts.ts). Run into a temporary table that shadows the real one, in a
 * transaction that is rolled back.
 */

const MIGRATION = path.resolve(import.meta.dirname, "../../prisma/migrations/20261130171904_vendors_costs_rollups/migration.sql");

let server: TestApiServer;
let customer: string;

beforeAll(async () => {
  server = await startTestApiServer();
  const api = apiClient(server.url, (await createTestPlatform("Backfill")).apiKey);
  const price = (eventType: string, unitPrice: number, asset: string) => ({
    name: eventType, type: "usage_based", billing_model: { type: "real_time" },
    usage_calculation: { event_type: eventType, usage_type: "unit" }, pricing: [{ asset, values: [{ unit_price: unitPrice }] }],
  });
  expect((await api("POST", "/assets", { code: "CREDIT", name: "Credits", precision: 0, rates: [{ source: "USD", rate: 0.01 }] })).status).toBe(201);
  expect((await api("POST", "/products", { name: "A", code: "a", publish: true, prices: [price("both", 0.1, "USD"), price("one", 0.3, "USD")] })).status).toBe(201);
  expect((await api("POST", "/products", { name: "B", code: "b", publish: true, prices: [price("both", 2, "CREDIT")] })).status).toBe(201);
  customer = (await api("POST", "/customers", { name: "B", subscriptions: [{ products: [{ code: "a" }, { code: "b" }] }] })).body.id;
  expect((await api("POST", `/customers/${customer}/wallet/adjustments`, { transaction_id: `f-${customer}`, asset: "USD", amount: 0.5, reason: "gift" })).status).toBe(201);
  expect((await api("POST", `/customers/${customer}/wallet/adjustments`, { transaction_id: `c-${customer}`, asset: "CREDIT", amount: 4, reason: "gift" })).status).toBe(201);
  const events = [
    ["e1", "both", "2026-05-01T01:00:00Z"], ["e2", "one", "2026-05-01T23:59:59.999Z"], ["e3", "both", "2026-05-02T00:00:00Z"],
    ["e4", "both", "2026-05-02T10:00:00Z"], ["e5", "none", "2026-05-03T10:00:00Z"], ["e6", "one", "2026-05-03T11:00:00Z"],
  ].map(([id, type, at]) => ({ id, event_type: type, occurred_at: at }));
  const res = await api("POST", "/events", { customer_id: customer, events });
  // both (0.1 USD + 2 CREDIT) ×2 billed, the third refused (no CREDIT left); one 0.3 billed, then refused.
  expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(["billed", "billed", "billed", "refused", "unbilled", "refused"]);
});
afterAll(() => server.close());

type Row = Record<string, string>;
const SELECT = `SELECT to_char(day, 'YYYY-MM-DD') AS day, product_id, vendor_id, kind, unit, status, amount::numeric::text AS amount, count::text AS count
                  FROM usage_rollups WHERE customer_id = $1 ORDER BY 1, 2, 3, 4, 5, 6`;

describe("the rollups migration's backfill", () => {
  it("gives the rows the usage flush wrote, for events without costs", async () => {
    const client = await pool().connect();
    try {
      const written = (await client.query<Row>(SELECT, [customer])).rows;
      expect(written.length).toBeGreaterThan(10);
      await client.query("BEGIN");
      await client.query("CREATE TEMP TABLE usage_rollups (LIKE public.usage_rollups INCLUDING ALL) ON COMMIT DROP");
      const backfill = readFileSync(MIGRATION, "utf8").split(/^-- Backfill.*$/m)[1]!;
      for (const statement of backfill.split(/;\s*\n/).map((s) => s.replace(/^\s*--.*$/gm, "").trim()).filter(Boolean)) {
        await client.query(statement);
      }
      // Exact: numeric text with its trailing zeros trimmed (a float would hide a difference past 15 digits).
      const normalized = (rows: Row[]) => rows.map((r) => ({ ...r, amount: new Dec(r.amount!).toFixed() }));
      expect(normalized((await client.query<Row>(SELECT, [customer])).rows)).toEqual(normalized(written));
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
  });
});
