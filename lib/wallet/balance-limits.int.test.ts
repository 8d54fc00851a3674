import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { verifyLedger } from "@/lib/ledger";
import { apiClient, startTestApiServer, type TestApiServer } from "@/test/api-server";
import { createTestPlatform } from "@/test/factories";

/**
 * The money ceiling (lib/money/limits.ts: 10^15 for a balance and for any single amount)
 * over real HTTP: every path that writes a NUMERIC(38,12) answers a 422 problem naming the
 * field and writes nothing, where a schema-valid but huge number used to overflow the
 * column inside the ledger's write (a 500), or was stored beyond what a JSON number reads.
 */
let server: TestApiServer;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  server = await startTestApiServer();
  api = apiClient(server.url, (await createTestPlatform("Limits")).apiKey);
  const product = {
    name: "Huge",
    code: "huge",
    publish: true,
    prices: [
      {
        name: "Tokens",
        type: "usage_based",
        billing_model: { type: "real_time" },
        usage_calculation: { event_type: "tokens", usage_type: "volume", volume_field: "input_tokens" },
        pricing: [{ asset: "USD", values: [{ volume_rate: 1e20 }] }],
      },
      {
        name: "Calls",
        type: "usage_based",
        billing_model: { type: "real_time" },
        usage_calculation: { event_type: "call", usage_type: "unit" },
        pricing: [{ asset: "USD", values: [{ unit_price: 1 }] }],
      },
    ],
  };
  expect((await api("POST", "/products", product)).status).toBe(201);
});
afterAll(() => server.close());

async function customer(): Promise<string> {
  const res = await api("POST", "/customers", { name: "C", subscriptions: [{ products: [{ code: "huge", version: "default" }] }] });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const tables = ["ledger_transactions", "ledger_entries", "credit_grants", "accounts", "usage_events"];
async function rowCounts(customerId: string) {
  const out: Record<string, number> = {};
  for (const t of tables) {
    const { rows } = await pool().query<{ n: string }>(`SELECT count(*) AS n FROM ${t} WHERE customer_id = $1`, [customerId]);
    out[t] = Number(rows[0]!.n);
  }
  return out;
}

function adjust(id: string, transactionId: string, amount: number | string, reason = "external_topup") {
  return api("POST", `/customers/${id}/wallet/adjustments`, { transaction_id: transactionId, asset: "USD", amount, reason });
}

function expectProblem(res: { status: number; body: { type: string; errors?: { field: string }[] } }, code: string, field: string) {
  expect({ status: res.status, type: res.body.type }).toEqual({ status: 422, type: `https://drawdown.dev/problems/${code}` });
  expect(res.body.errors?.map((e) => e.field)).toContain(field);
}

describe("adjustments", () => {
  it("a credit above the largest amount is 422 amount_too_large, however many digits the column would take", async () => {
    const id = await customer();
    const before = await rowCounts(id);
    // 26 integer digits: schema-valid; two of them used to overflow the balance (500).
    for (const [tx, amount] of [["a", "99999999999999999999999999"], ["b", "99999999999999999999999999"], ["c", 1e20], ["d", "1000000000000000.01"]] as const) {
      expectProblem(await adjust(id, tx, amount), "amount_too_large", "amount");
    }
    expectProblem(await adjust(id, "e", -1e20, "charge"), "amount_too_large", "amount");
    expect(await rowCounts(id)).toEqual(before);
    expect(before).toMatchObject({ ledger_transactions: 0, credit_grants: 0 });
  });

  it("a balance may reach the ceiling exactly; a credit past it is 422 balance_limit_exceeded and writes nothing", async () => {
    const id = await customer();
    expect((await adjust(id, "full", "999999999999999.5")).status).toBe(201);
    expect((await adjust(id, "top", "0.5")).status).toBe(201);
    expect((await api("GET", `/customers/${id}/wallet/default:USD`)).body).toMatchObject({ available: 1e15 });
    const before = await rowCounts(id);
    const refused = await adjust(id, "over", "0.01");
    expectProblem(refused, "balance_limit_exceeded", "amount");
    expect(refused.body).toMatchObject({ account_id: "default:USD", max_balance: "1000000000000000" });
    expect(await rowCounts(id)).toEqual(before);
    // Spending makes room again.
    expect((await adjust(id, "spend", -1, "charge")).status).toBe(201);
    expect((await adjust(id, "over", "0.01")).status).toBe(201);
    expect(await verifyLedger(id)).toEqual([]);
  });
});

describe("account settings", () => {
  it("an overdraft limit or low-balance threshold above the largest amount is 422 amount_too_large", async () => {
    const id = await customer();
    const before = await rowCounts(id);
    expectProblem(await api("PATCH", `/customers/${id}/wallet/default:USD`, { overdraft_limit: 1e20 }), "amount_too_large", "overdraft_limit");
    expectProblem(await api("PATCH", `/customers/${id}/wallet/default:USD`, { low_balance_threshold: "99999999999999999999999999" }), "amount_too_large", "low_balance_threshold");
    expect(await rowCounts(id)).toEqual(before);
    // The refused PATCHes opened no account (an accepted one would have).
    const settings = await pool().query(`SELECT 1 FROM accounts WHERE customer_id = $1`, [id]);
    expect(settings.rowCount).toBe(0);
    const ok = await api("PATCH", `/customers/${id}/wallet/default:USD`, { overdraft_limit: 1e15 });
    expect(ok).toMatchObject({ status: 200, body: { overdraft_limit: 1e15 } });
  });
});

describe("usage events", () => {
  it("an event whose fee is above the largest amount is refused (amount_too_large); the batch's other events are billed", async () => {
    const id = await customer();
    expect((await adjust(id, "fund", 10)).status).toBe(201);
    await api("PATCH", `/customers/${id}/wallet/default:USD`, { overdraft_limit: 1e15 });
    const at = "2025-01-01T00:00:00Z";
    const res = await api("POST", "/events", {
      customer_id: id,
      events: [
        { id: "c1", event_type: "call", occurred_at: at },
        { id: "huge", event_type: "tokens", occurred_at: at, data: { input_tokens: 1e20 } }, // 1e20 × 1e20 = 1e40
        { id: "big", event_type: "tokens", occurred_at: at, data: { input_tokens: 0.00001 } }, // 1e15: fits exactly
        { id: "over", event_type: "tokens", occurred_at: at, data: { input_tokens: "0.000010000000000001" } },
        { id: "c2", event_type: "call", occurred_at: at },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { id: string; status: string; reason?: string }) => [r.id, r.status, r.reason])).toEqual([
      ["c1", "billed", undefined],
      ["huge", "refused", "amount_too_large"],
      ["big", "billed", undefined],
      ["over", "refused", "amount_too_large"],
      ["c2", "billed", undefined],
    ]);
    expect(res.body.results[1]).toMatchObject({ fees: [{ amount: 1e40, asset: "USD" }], detail: expect.stringContaining("largest amount") });
    const stored = await pool().query("SELECT event_id, status, reason FROM usage_events WHERE customer_id = $1 ORDER BY event_id", [id]);
    expect(stored.rows).toEqual([
      { event_id: "big", status: "billed", reason: null },
      { event_id: "c1", status: "billed", reason: null },
      { event_id: "c2", status: "billed", reason: null },
      { event_id: "huge", status: "refused", reason: "amount_too_large" },
      { event_id: "over", status: "refused", reason: "amount_too_large" },
    ]);
    // 10 − 1 − 1e15 − 1 = −(1e15 − 8): within the overdraft of 1e15.
    expect((await api("GET", `/customers/${id}/wallet/default:USD`)).body.available).toBe(-(1e15 - 8));
    expect(await verifyLedger(id)).toEqual([]);
  });
});
