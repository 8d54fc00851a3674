import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/auth/api-keys";
import { pool } from "@/lib/db";
import { verifyLedger } from "@/lib/ledger";
import { apiClient, startTestApiServer, type TestApiServer } from "@/test/api-server";
import { createTestPlatform } from "@/test/factories";
import { seedAdjustment } from "@/test/seed";

let server: TestApiServer;
let api: ReturnType<typeof apiClient>;
let liveApi: ReturnType<typeof apiClient>;
let otherApi: ReturnType<typeof apiClient>;

beforeAll(async () => {
  server = await startTestApiServer();
  const platform = await createTestPlatform("Wallets");
  api = apiClient(server.url, platform.apiKey);
  liveApi = apiClient(server.url, (await createApiKey(platform.platformId, true)).key);
  otherApi = apiClient(server.url, (await createTestPlatform("Other")).apiKey);
});
afterAll(() => server.close());

async function customer(client = api, body: Record<string, unknown> = {}) {
  const res = await client("POST", "/customers", { name: "C", ...body });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const tables = ["ledger_transactions", "ledger_entries", "credit_grants", "accounts"];
async function rowCounts(customerId: string) {
  const out: Record<string, number> = {};
  for (const t of tables) {
    const { rows } = await pool().query<{ n: string }>(`SELECT count(*) AS n FROM ${t} WHERE customer_id = $1`, [customerId]);
    out[t] = Number(rows[0]!.n);
  }
  return out;
}

describe("customers", () => {
  it("creates, gets, lists and looks up by external_id; a duplicate external_id is a 409 naming the existing id", async () => {
    const ext = `ext-${Date.now()}`;
    const created = await api("POST", "/customers", { name: "Walter", email: "w@example.com", external_id: ext, metadata: { plan: "pro" } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.stringMatching(/^cust_/), name: "Walter", email: "w@example.com", external_id: ext, metadata: { plan: "pro" }, subscriptions: [] });
    expect((await api("GET", `/customers/${created.body.id}`)).body).toEqual(created.body);
    const found = await api("GET", `/customers?external_id=${ext}`);
    expect(found.body).toMatchObject({ total_count: 1, items: [{ id: created.body.id }] });
    const dup = await api("POST", "/customers", { name: "Again", external_id: ext });
    expect(dup.status).toBe(409);
    expect(dup.body.detail).toContain(created.body.id);
    expect(dup.body.existing_id).toBe(created.body.id);
    // the same external_id is free on another platform and in live mode
    expect((await otherApi("POST", "/customers", { external_id: ext })).status).toBe(201);
    expect((await liveApi("POST", "/customers", { external_id: ext })).status).toBe(201);
  });

  it("refuses subscriptions to unknown products with 422 and writes nothing", async () => {
    const before = await pool().query("SELECT count(*) FROM customers");
    const res = await api("POST", "/customers", { name: "X", subscriptions: [{ products: [{ code: "nope", version: "default" }] }] });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].field).toBe("subscriptions/0/products/0");
    expect((await pool().query("SELECT count(*) FROM customers")).rows).toEqual(before.rows);
  });

  it("hides other platforms' and other modes' customers as 404", async () => {
    const id = await customer();
    expect((await otherApi("GET", `/customers/${id}`)).status).toBe(404);
    expect((await liveApi("GET", `/customers/${id}`)).status).toBe(404);
    expect((await liveApi("GET", `/customers/${id}/wallet`)).status).toBe(404);
    const missing = await api("GET", "/customers/cust_doesnotexist000000000000000");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toContain("application/problem+json");
  });
});

describe("methods a path does not serve", () => {
  it("answer 405 problem details naming the allowed methods", async () => {
    const res = await api("DELETE", "/customers");
    expect(res.status).toBe(405);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    // What the route file exports, with HEAD for GET and OPTIONS (server/api-router.ts).
    expect(res.headers.get("allow")).toBe("GET, POST, HEAD, OPTIONS");
    expect((await api("GET", `/customers/${await customer()}/wallet/adjustments`)).status).toBe(405);
  });
});

describe("adjustments", () => {
  it("replays the same transaction_id with the same answer and nothing written; a different body is a 409", async () => {
    const id = await customer();
    const first = await api("POST", `/customers/${id}/wallet/adjustments`, seedAdjustment);
    expect(first.status).toBe(201);
    const counts = await rowCounts(id);
    const replay = await api("POST", `/customers/${id}/wallet/adjustments`, { ...seedAdjustment, amount: "25.00" });
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    expect(await rowCounts(id)).toEqual(counts);
    const conflict = await api("POST", `/customers/${id}/wallet/adjustments`, { ...seedAdjustment, amount: 26 });
    expect(conflict.status).toBe(409);
    expect(await rowCounts(id)).toEqual(counts);
    // parallel replays apply once
    const burst = await Promise.all(
      Array.from({ length: 20 }, () => api("POST", `/customers/${id}/wallet/adjustments`, { ...seedAdjustment, transaction_id: "burst" })),
    );
    expect(new Set(burst.map((r) => r.status))).toEqual(new Set([201]));
    expect((await api("GET", `/customers/${id}/wallet`)).body.accounts[0].available).toBe(50);
  });

  it("debits with negative amounts, refused past the overdraft limit; PATCH raises the limit", async () => {
    const id = await customer();
    await api("POST", `/customers/${id}/wallet/adjustments`, { transaction_id: "in", asset: "USD", amount: 10, reason: "external_topup" });
    const refused = await api("POST", `/customers/${id}/wallet/adjustments`, { transaction_id: "out", asset: "USD", amount: -10.01, reason: "charge" });
    expect(refused.status).toBe(422);
    expect(refused.body.type).toContain("insufficient_funds");
    const patched = await api("PATCH", `/customers/${id}/wallet/default:USD`, { overdraft_limit: 5 });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id: "default:USD", overdraft_limit: 5, available: 10 });
    const ok = await api("POST", `/customers/${id}/wallet/adjustments`, { transaction_id: "out", asset: "USD", amount: -14.5, reason: "charge" });
    expect(ok.status).toBe(201);
    expect((await api("GET", `/customers/${id}/wallet/default%3AUSD`)).body).toMatchObject({ available: -4.5, overdraft_limit: 5 });
    // a later credit pays the debt off first
    await api("POST", `/customers/${id}/wallet/adjustments`, { transaction_id: "in2", asset: "USD", amount: 5, reason: "external_topup" });
    const grants = await api("GET", `/customers/${id}/wallet/credit-grants`);
    expect(grants.body.items.map((g: { amount: number; remaining: number }) => [g.amount, g.remaining])).toEqual([
      [5, 0.5],
      [10, 0],
    ]);
    expect(await verifyLedger(id)).toEqual([]);
  });

  it("honours expires_at and purpose; a past expires_at falls back to the default expiry", async () => {
    const id = await customer();
    const future = new Date(Date.now() + 7 * 24 * 3600_000).toISOString();
    await api("POST", `/customers/${id}/wallet/adjustments`, { transaction_id: "promo", asset: "USD", amount: 3, reason: "promotion", expires_at: future });
    await api("POST", `/customers/${id}/wallet/adjustments`, seedAdjustment);
    const grants = (await api("GET", `/customers/${id}/wallet/credit-grants`)).body.items;
    const promo = grants.find((g: { amount: number }) => g.amount === 3);
    const paid = grants.find((g: { amount: number }) => g.amount === 25);
    expect(promo).toMatchObject({ purpose: "promotion", expires_at: future });
    expect(paid.purpose).toBe("paid");
    const inAYear = Date.now() + 365 * 24 * 3600_000;
    expect(Math.abs(new Date(paid.expires_at).getTime() - inAYear)).toBeLessThan(60_000);
    const txs = await api("GET", `/customers/${id}/wallet/transactions?limit=1`);
    expect(txs.body).toMatchObject({ total_count: 2, limit: 1, offset: 0 });
    expect(txs.body.items[0].entries[0]).toMatchObject({ account_id: "default:USD", amount: 25, kind: "credit" });
  });

  it("validates asset, precision, sign and reason with 422 and writes nothing", async () => {
    const id = await customer();
    const cases: [Record<string, unknown>, string][] = [
      [{ transaction_id: "a", asset: "USD", amount: 10.005, reason: "external_topup" }, "amount"],
      [{ transaction_id: "b", asset: "NOPE", amount: 1, reason: "external_topup" }, "asset"],
      [{ transaction_id: "c", asset: "USD", amount: -1, reason: "external_topup" }, "amount"],
      [{ transaction_id: "d", asset: "USD", amount: 1, reason: "charge" }, "amount"],
      [{ transaction_id: "e", asset: "USD", amount: 0, reason: "correction" }, "amount"],
      [{ transaction_id: "f", asset: "USD", amount: 1, reason: "bribe" }, "reason"],
    ];
    for (const [body, field] of cases) {
      const res = await api("POST", `/customers/${id}/wallet/adjustments`, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect(await rowCounts(id)).toEqual({ ledger_transactions: 0, ledger_entries: 0, credit_grants: 0, accounts: 0 });
  });
});
