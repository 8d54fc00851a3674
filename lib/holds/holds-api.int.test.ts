import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { runInCustomerBatch, verifyLedger } from "@/lib/ledger";
import { MAX_BATCH_JOBS, queuedJobCount } from "@/lib/ledger/customer-batch";
import { apiClient, startTestApiServer, type TestApiServer } from "@/test/api-server";
import { createTestPlatform } from "@/test/factories";
import { productExample, unitPriceProduct } from "@/test/seed";
import { captureHold } from "./capture-hold";
import { expireDueHolds } from "./expire-holds";

let server: TestApiServer;
let api: ReturnType<typeof apiClient>;
let otherApi: ReturnType<typeof apiClient>;
let platformId: string;

beforeAll(async () => {
  server = await startTestApiServer();
  const platform = await createTestPlatform("Holds");
  platformId = platform.platformId;
  api = apiClient(server.url, platform.apiKey);
  otherApi = apiClient(server.url, (await createTestPlatform("Other")).apiKey);
  expect((await api("POST", "/assets", { code: "CREDIT", name: "Credits", precision: 0, rates: [{ source: "USD", rate: 0.01 }] })).status).toBe(201);
  expect((await api("POST", "/products", productExample)).status).toBe(201);
  const render = unitPriceProduct({ code: "render", name: "Render", priceName: "Renders", eventType: "render", unitPrice: 1 });
  expect((await api("POST", "/products", render)).status).toBe(201);
});
afterAll(() => server.close());

/** A customer subscribed to chat (volume-priced tokens) and render ($1 a render), with `usd` dollars. */
async function customer(usd: number, client = api): Promise<string> {
  const res = await client("POST", "/customers", {
    name: "Hold",
    // The other platform has no products.
    ...(client === api ? { subscriptions: [{ products: [{ code: "chat", version: "default" }, { code: "render", version: "default" }] }] } : {}),
  });
  expect(res.status).toBe(201);
  const id = res.body.id as string;
  if (usd > 0) {
    const adj = await client("POST", `/customers/${id}/wallet/adjustments`, { transaction_id: `fund-${id}`, asset: "USD", amount: usd, reason: "external_topup" });
    expect(adj.status).toBe(201);
  }
  return id;
}

const holdsOf = (id: string) => `/customers/${id}/wallet/holds`;
const renders = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${i}`, event_type: "render", occurred_at: "2026-01-01T00:00:00Z" }));

async function account(id: string) {
  const res = await api("GET", `/customers/${id}/wallet/default:USD`);
  expect(res.status).toBe(200);
  return res.body as { available: number; pending_out: number };
}

async function counts(id: string) {
  const out: Record<string, number> = {};
  for (const t of ["holds", "ledger_transactions", "ledger_entries", "usage_events", "webhook_events"]) {
    const { rows } = await pool().query<{ n: string }>(`SELECT count(*) AS n FROM ${t} WHERE customer_id = $1`, [id]);
    out[t] = Number(rows[0]!.n);
  }
  return out;
}

async function webhookTypes(id: string): Promise<string[]> {
  const { rows } = await pool().query<{ type: string }>("SELECT type FROM webhook_events WHERE customer_id = $1 AND type LIKE 'hold.%' ORDER BY created_at, id", [id]);
  return rows.map((r) => r.type);
}

describe("holds through HTTP", () => {
  it("reserves funds: 201 with the hold, available net of it, pending_out; a repeat answers the same hold, another body 409", async () => {
    const id = await customer(10);
    const body = { id: "job-1", amount: 4, asset: "USD", subject: "render-1", metadata: { model: "v2" } };
    const res = await api("POST", holdsOf(id), body);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^hold_/),
      reference: "job-1",
      customer_id: id,
      status: "held",
      amounts: [{ account_id: "default:USD", asset: "USD", amount: 4, captured: 0, released: 0 }],
      expires_at: expect.any(String),
      subject: "render-1",
      metadata: { model: "v2" },
      created_at: expect.any(String),
      closed_at: null,
    });
    const ttl = Date.parse(res.body.expires_at) - Date.parse(res.body.created_at);
    expect(ttl).toBe(900_000);
    expect(await account(id)).toMatchObject({ available: 6, pending_out: 4 });
    const accounts = (await api("GET", `/customers/${id}/wallet`)).body.accounts as { id: string; available: number }[];
    expect(accounts.find((a) => a.id === "default:USD")?.available).toBe(6);

    const again = await api("POST", holdsOf(id), body);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(res.body);
    const other = await api("POST", holdsOf(id), { ...body, amount: 5 });
    expect(other.status).toBe(409);
    expect(await account(id)).toMatchObject({ available: 6, pending_out: 4 });

    expect((await api("GET", `${holdsOf(id)}/${res.body.id}`)).body).toEqual(res.body);
    expect((await api("GET", `${holdsOf(id)}?status=held`)).body).toMatchObject({ total_count: 1, items: [{ id: res.body.id }] });
    expect((await api("GET", `${holdsOf(id)}?status=released`)).body.total_count).toBe(0);
    expect(await webhookTypes(id)).toEqual(["hold.created"]);
    expect(await verifyLedger(id)).toEqual([]);
  });

  it("refuses a hold the available amount cannot cover with 402 insufficient_funds and the shortfall, reserving nothing", async () => {
    const id = await customer(10);
    expect((await api("POST", holdsOf(id), { id: "a", amount: 7, asset: "USD" })).status).toBe(201);
    const before = await counts(id);
    const res = await api("POST", holdsOf(id), { id: "b", amount: 5, asset: "USD" });
    expect(res.status).toBe(402);
    expect(res.body).toMatchObject({ type: "https://drawdown.dev/problems/insufficient_funds", status: 402, account_id: "default:USD", available: 3, requested: 5, shortfall: 2 });
    expect(await counts(id)).toEqual(before);
    // An overdraft counts as available.
    expect((await api("PATCH", `/customers/${id}/wallet/default:USD`, { overdraft_limit: 2 })).status).toBe(200);
    expect((await api("POST", holdsOf(id), { id: "b", amount: 5, asset: "USD" })).status).toBe(201);
    expect(await account(id)).toMatchObject({ available: -2, pending_out: 12 });
    expect(await verifyLedger(id)).toEqual([]);
  });

  it("events without hold_id cannot spend held funds; events with it take from the hold first and leave it open", async () => {
    const id = await customer(5);
    const hold = (await api("POST", holdsOf(id), { id: "h", amount: 3, asset: "USD" })).body;
    const plain = await api("POST", "/events", { customer_id: id, events: renders(3, "plain") });
    expect(plain.body.results.map((r: { status: string }) => r.status)).toEqual(["billed", "billed", "refused"]);
    expect(await account(id)).toMatchObject({ available: 0, pending_out: 3 });

    const held = await api("POST", "/events", { customer_id: id, events: renders(2, "held").map((e) => ({ ...e, hold_id: hold.id })) });
    expect(held.body.results.map((r: { status: string }) => r.status)).toEqual(["billed", "billed"]);
    const now = (await api("GET", `${holdsOf(id)}/${hold.id}`)).body;
    expect(now).toMatchObject({ status: "held", amounts: [{ amount: 3, captured: 2, released: 0 }] });
    expect(await account(id)).toMatchObject({ available: 0, pending_out: 1 });
    expect(await verifyLedger(id)).toEqual([]);
  });

  it("capture charges the hold first, then the balance; closes it and releases the rest; then capture and release are 409", async () => {
    const id = await customer(10);
    const hold = (await api("POST", holdsOf(id), { id: "h", amount: 2, asset: "USD" })).body;
    const cap = await api("POST", `${holdsOf(id)}/${hold.id}/capture`, { events: renders(3, "cap") });
    expect(cap.status).toBe(200);
    expect(cap.body.results.map((r: { status: string }) => r.status)).toEqual(["billed", "billed", "billed"]);
    expect(cap.body.hold).toMatchObject({ status: "captured", amounts: [{ amount: 2, captured: 2, released: 0 }], closed_at: expect.any(String) });
    expect(await account(id)).toMatchObject({ available: 7, pending_out: 0 });

    const partial = (await api("POST", holdsOf(id), { id: "h2", amount: 5, asset: "USD" })).body;
    const cap2 = await api("POST", `${holdsOf(id)}/${partial.id}/capture`, { events: renders(1, "cap2") });
    expect(cap2.body.hold).toMatchObject({ status: "captured", amounts: [{ amount: 5, captured: 1, released: 4 }] });
    expect(await account(id)).toMatchObject({ available: 6, pending_out: 0 });

    const before = await counts(id);
    const again = await api("POST", `${holdsOf(id)}/${partial.id}/capture`, { events: renders(1, "cap3") });
    expect(again.status).toBe(409);
    expect((await api("POST", `${holdsOf(id)}/${partial.id}/release`)).status).toBe(409);
    expect(await counts(id)).toEqual(before);

    const third = (await api("POST", holdsOf(id), { id: "h3", amount: 1, asset: "USD" })).body;
    const released = await api("POST", `${holdsOf(id)}/${third.id}/release`);
    expect(released.body).toMatchObject({ status: "released", amounts: [{ amount: 1, captured: 0, released: 1 }] });
    const before2 = await counts(id);
    expect((await api("POST", `${holdsOf(id)}/${third.id}/capture`, { events: renders(1, "late") })).status).toBe(409);
    expect(await counts(id)).toEqual(before2);
    expect(await webhookTypes(id)).toEqual(["hold.created", "hold.captured", "hold.created", "hold.captured", "hold.created", "hold.released"]);
    expect(await verifyLedger(id)).toEqual([]);
  });

  it("events keep the hold they were sent against (hold_id or a capture's); GET /events?hold_id= lists them", async () => {
    const id = await customer(10);
    const hold = (await api("POST", holdsOf(id), { id: "h", amount: 5, asset: "USD" })).body;
    await api("POST", "/events", { customer_id: id, events: [...renders(1, "plain"), ...renders(2, "held").map((e) => ({ ...e, hold_id: hold.id }))] });
    expect((await api("POST", `${holdsOf(id)}/${hold.id}/capture`, { events: renders(1, "cap") })).status).toBe(200);

    expect((await api("GET", "/events/plain-0")).body.hold_id).toBeNull();
    expect((await api("GET", "/events/held-1")).body.hold_id).toBe(hold.id);
    expect((await api("GET", "/events/cap-0")).body.hold_id).toBe(hold.id);
    const listed = await api("GET", `/events?hold_id=${hold.id}`);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((e: { id: string }) => e.id).sort()).toEqual(["cap-0", "held-0", "held-1"]);
    expect(listed.body.items.every((e: { hold_id: string; customer_id: string }) => e.hold_id === hold.id && e.customer_id === id)).toBe(true);
    // With the hold's own customer, the same; with another customer, nothing.
    expect((await api("GET", `/events?hold_id=${hold.id}&customer_id=${id}`)).body.items).toHaveLength(3);
    const other = await customer(0);
    expect((await api("GET", `/events?hold_id=${hold.id}&customer_id=${other}`)).body.items).toEqual([]);
    // Another platform's hold, an unknown one, a malformed id.
    expect((await otherApi("GET", `/events?hold_id=${hold.id}`)).status).toBe(404);
    expect((await api("GET", "/events?hold_id=hold_unknown")).status).toBe(404);
    expect((await api("GET", "/events?hold_id=nope")).status).toBe(422);
  });

  it("a capture behind a full queue runs in one batch: the hold's expiry cannot fall between its events", async () => {
    const id = await customer(10);
    const hold = (await api("POST", holdsOf(id), { id: "h", amount: 5, asset: "USD" })).body;
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    // A batch in flight (its preload waits on the gate): everything queued meanwhile waits for it.
    const blocker = runInCustomerBatch(id, { idempotencyKeys: [], group: { preload: () => gate }, apply: () => undefined });
    while (queuedJobCount(id) > 0) await new Promise((r) => setImmediate(r));
    const fillers = Array.from({ length: MAX_BATCH_JOBS - 2 }, (_, i) =>
      runInCustomerBatch(id, {
        idempotencyKeys: [],
        apply: (w) => {
          if (i < MAX_BATCH_JOBS - 3) return;
          // The last filler: the hold now expires 1 ms after this batch's clock, and this batch outlasts that.
          const h = w.hold(hold.id)!;
          h.expiresAt = new Date(w.now.getTime() + 1);
          h.dirty = true;
          while (Date.now() <= w.now.getTime() + 5) {
            // a batch that follows this one starts after the hold's expiry
          }
        },
      }),
    );
    // 1,998 fillers, then the capture's 4 events and its close: a batch of at most 2,000 would cut it.
    // In this process (the test server's routes load their own copy of the ledger's queues).
    const events = renders(4, "full").map((e) => ({ ...e, occurred_at: new Date(e.occurred_at) }));
    const capture = captureHold({ platformId, liveMode: false }, id, hold.id, events);
    while (queuedJobCount(id) < MAX_BATCH_JOBS - 2 + 5) await new Promise((r) => setTimeout(r, 5));
    open();
    await Promise.all([blocker, ...fillers]);
    const { hold: captured, results } = await capture;
    expect(captured.status).toBe("captured");
    expect(results.map((r) => r.status)).toEqual(["billed", "billed", "billed", "billed"]);
    expect((await api("GET", `${holdsOf(id)}/${hold.id}`)).body).toMatchObject({ status: "captured", amounts: [{ amount: 5, captured: 4, released: 1 }] });
    expect(await account(id)).toMatchObject({ available: 6, pending_out: 0 });
    expect(await verifyLedger(id)).toEqual([]);
  });

  it("holds an estimate priced by the customer's prices, exactly as the event would be charged", async () => {
    const id = await customer(10);
    const res = await api("POST", holdsOf(id), { id: "est", estimate: { event_type: "message_completed", data: { model: "gpt-4-1", input_tokens: 2_000_000 } } });
    expect(res.status).toBe(201);
    expect(res.body.amounts).toEqual([{ account_id: "default:USD", asset: "USD", amount: 2.5, captured: 0, released: 0 }]);
    expect(await account(id)).toMatchObject({ available: 7.5, pending_out: 2.5 });
  });

  it("holds a multi-asset estimate in each asset, all or nothing", async () => {
    const dual = {
      name: "Dual",
      code: "dual",
      publish: true,
      prices: [
        { name: "Dollars", type: "usage_based", billing_model: { type: "real_time" }, usage_calculation: { event_type: "dual", usage_type: "unit" }, pricing: [{ asset: "USD", values: [{ unit_price: 1 }] }] },
        { name: "Credits", type: "usage_based", billing_model: { type: "real_time" }, usage_calculation: { event_type: "dual", usage_type: "unit" }, pricing: [{ asset: "CREDIT", values: [{ unit_price: 5 }] }] },
      ],
    };
    expect((await api("POST", "/products", dual)).status).toBe(201);
    const res = await api("POST", "/customers", { name: "Dual", subscriptions: [{ products: [{ code: "dual", version: "default" }] }] });
    const id = res.body.id as string;
    for (const [asset, amount] of [["USD", 3], ["CREDIT", 7]] as const) {
      expect((await api("POST", `/customers/${id}/wallet/adjustments`, { transaction_id: `fund-${asset}`, asset, amount, reason: "external_topup" })).status).toBe(201);
    }
    const hold = await api("POST", holdsOf(id), { id: "d1", estimate: { event_type: "dual" } });
    expect(hold.status).toBe(201);
    expect(hold.body.amounts).toEqual([
      { account_id: "default:USD", asset: "USD", amount: 1, captured: 0, released: 0 },
      { account_id: "default:CREDIT", asset: "CREDIT", amount: 5, captured: 0, released: 0 },
    ]);
    // USD could cover a second one (2 left), CREDIT cannot (2 left of 7): nothing is held in either.
    const before = await counts(id);
    const second = await api("POST", holdsOf(id), { id: "d2", estimate: { event_type: "dual" } });
    expect(second.status).toBe(402);
    expect(second.body).toMatchObject({ account_id: "default:CREDIT", shortfall: 3 });
    expect(await counts(id)).toEqual(before);
    expect(await account(id)).toMatchObject({ available: 2, pending_out: 1 });
    const cap = await api("POST", `${holdsOf(id)}/${hold.body.id}/capture`, { events: [{ id: "dual-1", event_type: "dual", occurred_at: "2026-01-01T00:00:00Z" }] });
    expect(cap.body.hold.amounts.map((a: { captured: number; released: number }) => [a.captured, a.released])).toEqual([[1, 0], [5, 0]]);
    expect(await verifyLedger(id)).toEqual([]);
  });

  it("extends within 24 h of creation; an expired hold reads as expired at once and the job releases it once with hold.expired", async () => {
    const id = await customer(10);
    const hold = (await api("POST", holdsOf(id), { id: "h", amount: 4, asset: "USD", ttl_seconds: 60 })).body;
    const ext = await api("POST", `${holdsOf(id)}/${hold.id}/extend`, { ttl_seconds: 3600 });
    expect(ext.status).toBe(200);
    expect(Date.parse(ext.body.expires_at)).toBeGreaterThan(Date.parse(hold.expires_at) + 3_000_000);
    const tooLate = new Date(Date.parse(hold.created_at) + 86_400_000 + 1000).toISOString();
    expect((await api("POST", `${holdsOf(id)}/${hold.id}/extend`, { expires_at: tooLate })).status).toBe(422);

    await pool().query("UPDATE holds SET expires_at = now() - interval '1 second' WHERE id = $1", [hold.id]);
    expect((await api("GET", `${holdsOf(id)}/${hold.id}`)).body).toMatchObject({ status: "expired", amounts: [{ released: 4 }] });
    expect(await account(id)).toMatchObject({ available: 10, pending_out: 0 });
    expect((await api("GET", `${holdsOf(id)}?status=expired`)).body.total_count).toBe(1);
    expect((await api("GET", `${holdsOf(id)}?status=held`)).body.total_count).toBe(0);

    expect(await expireDueHolds()).toBeGreaterThanOrEqual(1);
    await expireDueHolds();
    expect(await webhookTypes(id)).toEqual(["hold.created", "hold.expired"]);
    const { rows } = await pool().query("SELECT status FROM holds WHERE id = $1", [hold.id]);
    expect(rows[0].status).toBe("expired");
    expect((await api("POST", `${holdsOf(id)}/${hold.id}/extend`, { ttl_seconds: 600 })).status).toBe(409);
    expect((await api("POST", `${holdsOf(id)}/${hold.id}/release`)).status).toBe(409);
    expect(await verifyLedger(id)).toEqual([]);
  });

  it("200 parallel holds of 1 on a balance of 50: exactly 50 held", async () => {
    const id = await customer(50);
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => api("POST", holdsOf(id), { id: `p-${i}`, amount: 1, asset: "USD" })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(50);
    expect(statuses.filter((s) => s === 402)).toHaveLength(150);
    expect(await account(id)).toMatchObject({ available: 0, pending_out: 50 });
    expect((await counts(id)).holds).toBe(50);
    expect(await verifyLedger(id)).toEqual([]);
  });

  it("a capture racing the expiry has one outcome: captured (charged once) or expired (charged nothing)", async () => {
    for (let round = 0; round < 6; round++) {
      const id = await customer(10);
      const hold = (await api("POST", holdsOf(id), { id: "h", amount: 3, asset: "USD" })).body;
      await pool().query("UPDATE holds SET expires_at = now() + interval '30 milliseconds' WHERE id = $1", [hold.id]);
      await new Promise((r) => setTimeout(r, round * 10));
      const [cap] = await Promise.all([api("POST", `${holdsOf(id)}/${hold.id}/capture`, { events: renders(2, "race") }), expireDueHolds()]);
      await expireDueHolds();
      const stored = (await pool().query("SELECT status FROM holds WHERE id = $1", [hold.id])).rows[0].status as string;
      const types = await webhookTypes(id);
      if (cap.status === 200) {
        expect(stored).toBe("captured");
        expect(types).toEqual(["hold.created", "hold.captured"]);
        expect(await account(id)).toMatchObject({ available: 8, pending_out: 0 });
      } else {
        expect(cap.status).toBe(409);
        expect(stored).toBe("expired");
        expect(types).toEqual(["hold.created", "hold.expired"]);
        expect(await account(id)).toMatchObject({ available: 10, pending_out: 0 });
        expect((await counts(id)).usage_events).toBe(0);
      }
      expect(await verifyLedger(id)).toEqual([]);
    }
  });

  it("bad input: each a clear 4xx that writes nothing", async () => {
    const id = await customer(10);
    const mine = (await api("POST", holdsOf(id), { id: "mine", amount: 1, asset: "USD" })).body;
    const otherCustomer = await customer(10);
    const theirs = (await api("POST", holdsOf(otherCustomer), { id: "theirs", amount: 1, asset: "USD" })).body;
    const otherPlatformCustomer = await customer(10, otherApi);
    const foreign = (await otherApi("POST", holdsOf(otherPlatformCustomer), { id: "foreign", amount: 1, asset: "USD" })).body;
    const event = renders(1, "bad")[0]!;
    const cases: [string, string, unknown, number][] = [
      ["unknown account", holdsOf(id), { id: "x1", account_name: "nope", amount: 1, asset: "USD" }, 422],
      ["unknown asset", holdsOf(id), { id: "x2", amount: 1, asset: "ZZZ" }, 422],
      ["amount 0", holdsOf(id), { id: "x3", amount: 0, asset: "USD" }, 422],
      ["negative amount", holdsOf(id), { id: "x4", amount: -1, asset: "USD" }, 422],
      ["both amount and estimate", holdsOf(id), { id: "x5", amount: 1, asset: "USD", estimate: { event_type: "render" } }, 422],
      ["neither", holdsOf(id), { id: "x6" }, 422],
      ["amount without asset", holdsOf(id), { id: "x7", amount: 1 }, 422],
      ["estimate matching no price", holdsOf(id), { id: "x8", estimate: { event_type: "nothing_prices_this" } }, 422],
      ["ttl too short", holdsOf(id), { id: "x9", amount: 1, asset: "USD", ttl_seconds: 59 }, 422],
      ["ttl too long", holdsOf(id), { id: "x10", amount: 1, asset: "USD", ttl_seconds: 86_401 }, 422],
      ["expires_at past 24 h", holdsOf(id), { id: "x11", amount: 1, asset: "USD", expires_at: new Date(Date.now() + 90_000_000).toISOString() }, 422],
      ["expires_at in the past", holdsOf(id), { id: "x12", amount: 1, asset: "USD", expires_at: "2020-01-01T00:00:00Z" }, 422],
      ["ttl and expires_at", holdsOf(id), { id: "x13", amount: 1, asset: "USD", ttl_seconds: 600, expires_at: new Date(Date.now() + 600_000).toISOString() }, 422],
      ["unknown field", holdsOf(id), { id: "x14", amount: 1, asset: "USD", colour: "red" }, 400],
      ["another customer's hold in an event", "/events", { customer_id: id, events: [{ ...event, hold_id: theirs.id }] }, 422],
      ["another platform's hold in an event", "/events", { customer_id: id, events: [{ ...event, hold_id: foreign.id }] }, 422],
      ["another customer's hold captured", `${holdsOf(id)}/${theirs.id}/capture`, { events: [event] }, 404],
      ["a capture naming another hold", `${holdsOf(id)}/${mine.id}/capture`, { events: [{ ...event, hold_id: theirs.id }] }, 422],
      ["another customer's hold released", `${holdsOf(id)}/${theirs.id}/release`, undefined, 404],
      ["extend without a time", `${holdsOf(id)}/${mine.id}/extend`, {}, 422],
      ["extend past 24 h", `${holdsOf(id)}/${mine.id}/extend`, { ttl_seconds: 86_400 * 2 }, 422],
    ];
    const before = [await counts(id), await counts(otherCustomer)];
    for (const [what, path, body, status] of cases) {
      const res = await api("POST", path, body);
      expect({ what, status: res.status }).toEqual({ what, status: status === 400 && res.status === 422 ? 422 : status });
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    expect([await counts(id), await counts(otherCustomer)]).toEqual(before);
    expect((await otherApi("GET", `${holdsOf(id)}/${mine.id}`)).status).toBe(404);
    expect((await api("GET", `${holdsOf(otherCustomer)}/${mine.id}`)).status).toBe(404);
  });
});
