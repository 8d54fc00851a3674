import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { verifyLedger } from "@/lib/ledger";
import { apiClient, startTestApiServer, type TestApiServer } from "@/test/api-server";
import { createTestPlatform } from "@/test/factories";
import { productExample, seedAdjustment, seedEvents } from "@/test/seed";

let server: TestApiServer;
let api: ReturnType<typeof apiClient>;
let otherApi: ReturnType<typeof apiClient>;

beforeAll(async () => {
  server = await startTestApiServer();
  api = apiClient(server.url, (await createTestPlatform("Glitch")).apiKey);
  otherApi = apiClient(server.url, (await createTestPlatform("Other")).apiKey);
  expect((await api("POST", "/assets", { code: "CREDIT", name: "Credits", precision: 0, rates: [{ source: "USD", rate: 0.01 }] })).status).toBe(201);
  expect((await api("POST", "/products", productExample)).status).toBe(201);
});
afterAll(() => server.close());

async function newCustomer(extra: Record<string, unknown> = {}) {
  const res = await api("POST", "/customers", {
    name: "Walter",
    email: "w@example.com",
    subscriptions: [{ products: [{ code: "chat", version: "default" }] }],
    ...extra,
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

describe("the seed's flow, verbatim", () => {
  it("adjustment → usage event → wallet", async () => {
    const id = await newCustomer({ external_id: "18991" });

    const adj = await api("POST", `/customers/${id}/wallet/adjustments`, seedAdjustment);
    expect(adj.status).toBe(201);
    expect(adj.body).toEqual({ id: seedAdjustment.transaction_id, created_at: expect.any(String) });

    // "This adds $25 to the balance."
    let wallet = await api("GET", `/customers/${id}/wallet`);
    expect(wallet.body).toEqual({ accounts: [{ id: "default:USD", name: "default", asset: "USD", available: 25 }] });

    const events = await api("POST", "/events", seedEvents(id));
    expect(events.status).toBe(200);
    // 2353 input tokens of gpt-4-1 at $1.25 per 1,000,000
    expect(events.body.results).toEqual([
      {
        id: "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        status: "billed",
        fees: [
          {
            amount: 0.00294125,
            asset: "USD",
            account_id: "default:USD",
            product_id: expect.stringMatching(/^prp_/),
            product_version: 1,
            price_name: "Input tokens",
            balance_after: 24.99705875,
          },
        ],
      },
    ]);
    wallet = await api("GET", `/customers/${id}/wallet`);
    expect(wallet.body.accounts).toEqual([{ id: "default:USD", name: "default", asset: "USD", available: 24.99705875 }]);

    // replays: same adjustment answers the same, the same event is a duplicate; nothing moves
    const again = await api("POST", `/customers/${id}/wallet/adjustments`, seedAdjustment);
    expect(again).toMatchObject({ status: 201, body: adj.body });
    const dup = await api("POST", "/events", seedEvents(id));
    expect(dup.body.results[0]).toMatchObject({ status: "duplicate", fees: [{ amount: 0.00294125 }] });
    expect((await api("GET", `/customers/${id}/wallet`)).body.accounts[0].available).toBe(24.99705875);
    // The event's row answers its repeats: its ledger transaction (the one the row names) keeps
    // no idempotency key, request hash or result, and there is exactly one.
    const stored = await pool().query(
      `SELECT t.idempotency_key, t.request_hash, t.result FROM ledger_transactions t
         JOIN usage_events e ON e.customer_id = t.customer_id AND e.transaction_id = t.id
        WHERE t.customer_id = $1`,
      [id],
    );
    expect(stored.rows).toEqual([{ idempotency_key: null, request_hash: null, result: null }]);
    expect((await pool().query("SELECT count(*)::int AS n FROM ledger_transactions WHERE customer_id = $1 AND kind = 'charge'", [id])).rows).toEqual([{ n: 1 }]);

    const listed = await api("GET", `/events?customer_id=${id}`);
    expect(listed.body).toMatchObject({ total_count: 1, limit: 20, offset: 0, items: [{ id: seedEvents(id).events[0]!.id, status: "billed" }] });
    const one = await api("GET", `/events/${seedEvents(id).events[0]!.id}?customer_id=${id}`);
    expect(one.body.fees[0]).toMatchObject({ amount: 0.00294125, asset: "USD", price_name: "Input tokens" });
    expect(await verifyLedger(id)).toEqual([]);
  });
});

describe("POST /events", () => {
  it("answers billed, unbilled, duplicate and refused per event; a refusal never loses another event's charge", async () => {
    const id = await newCustomer();
    await api("POST", `/customers/${id}/wallet/adjustments`, { transaction_id: "t1", asset: "CREDIT", amount: 2, reason: "gift" });
    const at = "2025-01-01T00:00:00Z";
    const res = await api("POST", "/events", {
      customer_id: id,
      events: [
        { id: "e1", event_type: "api_call", occurred_at: at },
        { id: "e2", event_type: "api_call", occurred_at: at },
        { id: "e3", event_type: "api_call", occurred_at: at },
        { id: "e1", event_type: "api_call", occurred_at: at },
        { id: "e4", event_type: "unknown_thing", occurred_at: at },
        { id: "e5", event_type: "message_completed", occurred_at: at, data: { model: "o3", input_tokens: 1000000 } },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { id: string; status: string }) => [r.id, r.status])).toEqual([
      ["e1", "billed"],
      ["e2", "billed"],
      ["e3", "refused"],
      ["e1", "duplicate"],
      ["e4", "unbilled"],
      ["e5", "refused"],
    ]);
    expect(res.body.results[2]).toMatchObject({ reason: "insufficient_funds", fees: [{ amount: 1, asset: "CREDIT" }] });
    expect(res.body.results[5].fees).toMatchObject([{ amount: 2.5, asset: "USD", price_name: "Input tokens" }]);
    const wallet = await api("GET", `/customers/${id}/wallet`);
    expect(wallet.body.accounts).toEqual([{ id: "default:CREDIT", name: "default", asset: "CREDIT", available: 0 }]);
    const stored = await pool().query("SELECT event_id, status FROM usage_events WHERE customer_id = $1 ORDER BY event_id", [id]);
    expect(stored.rows).toEqual([
      { event_id: "e1", status: "billed" },
      { event_id: "e2", status: "billed" },
      { event_id: "e3", status: "refused" },
      { event_id: "e4", status: "unbilled" },
      { event_id: "e5", status: "refused" },
    ]);
    expect(await verifyLedger(id)).toEqual([]);
  });

  it("answers a later repeat of unbilled and refused events as duplicates, and still bills the new event beside them", async () => {
    const id = await newCustomer();
    await api("POST", `/customers/${id}/wallet/adjustments`, { transaction_id: "t1", asset: "CREDIT", amount: 1, reason: "gift" });
    const at = "2025-01-01T00:00:00Z";
    const first = await api("POST", "/events", {
      customer_id: id,
      events: [
        { id: "u1", event_type: "unknown_thing", occurred_at: at },
        { id: "r1", event_type: "message_completed", occurred_at: at, data: { model: "o3", input_tokens: 1000000 } },
      ],
    });
    expect(first.body.results.map((r: { status: string }) => r.status)).toEqual(["unbilled", "refused"]);
    // Neither left a ledger transaction: only the stored event rows can tell they were seen.
    const again = await api("POST", "/events", {
      customer_id: id,
      events: [
        { id: "u1", event_type: "unknown_thing", occurred_at: at },
        { id: "r1", event_type: "message_completed", occurred_at: at, data: { model: "o3", input_tokens: 1000000 } },
        { id: "n1", event_type: "api_call", occurred_at: at },
      ],
    });
    expect(again.status).toBe(200);
    expect(again.body.results.map((r: { id: string; status: string }) => [r.id, r.status])).toEqual([
      ["u1", "duplicate"],
      ["r1", "duplicate"],
      ["n1", "billed"],
    ]);
    expect(again.body.results[1].fees).toMatchObject([{ amount: 2.5, asset: "USD", price_name: "Input tokens" }]);
    const stored = await pool().query("SELECT event_id, status FROM usage_events WHERE customer_id = $1 ORDER BY event_id", [id]);
    expect(stored.rows).toEqual([
      { event_id: "n1", status: "billed" },
      { event_id: "r1", status: "refused" },
      { event_id: "u1", status: "unbilled" },
    ]);
    expect((await api("GET", `/customers/${id}/wallet`)).body.accounts).toEqual([{ id: "default:CREDIT", name: "default", asset: "CREDIT", available: 0 }]);
    expect(await verifyLedger(id)).toEqual([]);
  });

  it("charges an event id once when 20 requests send it at the same time", async () => {
    const id = await newCustomer();
    await api("POST", `/customers/${id}/wallet/adjustments`, { transaction_id: "fund", asset: "USD", amount: 1, reason: "external_topup" });
    const body = { customer_id: id, events: [{ id: "same", event_type: "message_completed", occurred_at: "2025-01-01T00:00:00Z", data: { model: "gpt-4-1", input_tokens: 200000 } }] };
    const answers = await Promise.all(Array.from({ length: 20 }, () => api("POST", "/events", body)));
    const statuses = answers.map((a) => a.body.results[0].status);
    expect(statuses.filter((s) => s === "billed")).toHaveLength(1);
    expect(statuses.filter((s) => s === "duplicate")).toHaveLength(19);
    expect((await api("GET", `/customers/${id}/wallet`)).body.accounts[0].available).toBe(0.75);
    expect(await verifyLedger(id)).toEqual([]);
  });

  it("bills 1,000 events in one request exactly", async () => {
    const id = await newCustomer();
    await api("POST", `/customers/${id}/wallet/adjustments`, { transaction_id: "fund", asset: "USD", amount: 10, reason: "external_topup" });
    const events = Array.from({ length: 1000 }, (_, i) => ({
      id: `bulk-${i}`,
      event_type: "message_completed",
      occurred_at: "2025-01-01T00:00:00Z",
      data: { model: "gpt-4-1", input_tokens: 1000 },
    }));
    const res = await api("POST", "/events", { customer_id: id, events });
    expect(res.status).toBe(200);
    expect(res.body.results.every((r: { status: string }) => r.status === "billed")).toBe(true);
    // 1000 × 1000 tokens × $1.25 / 1M = $1.25
    expect((await api("GET", `/customers/${id}/wallet/default:USD`)).body).toMatchObject({ available: 8.75, pending_in: 0, pending_out: 0, overdraft_limit: 0 });
  });

  it("keeps customers and platforms apart", async () => {
    const id = await newCustomer();
    const res = await otherApi("POST", "/events", seedEvents(id));
    expect(res.status).toBe(404);
    expect((await otherApi("GET", `/customers/${id}/wallet`)).status).toBe(404);
    expect((await otherApi("GET", `/events?customer_id=${id}`)).status).toBe(404);
    const none = await pool().query("SELECT 1 FROM usage_events WHERE customer_id = $1", [id]);
    expect(none.rowCount).toBe(0);
  });
});
