import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/auth/api-keys";
import { closeDb, pool } from "@/lib/db";
import { runInCustomerBatch, verifyLedger, type BatchGroup } from "@/lib/ledger";
import { Dec } from "@/lib/money";
// This file runs a ledger batch itself (below): the ledger's listeners, like every process that does.
import "@/lib/webhooks/ledger-outbox";
import { apiClient, startTestApiServer, type TestApiServer } from "@/test/api-server";
import { createTestPlatform, type TestPlatform } from "@/test/factories";
import { unitPriceProduct } from "@/test/seed";

/**
 * GET/PATCH /api/v1/accounts/self over real HTTP: the platform's default overdraft limit
 * and low-balance threshold, per mode, applied by the ledger to every account without a
 * limit (a threshold) of its own.
 */

type Api = ReturnType<typeof apiClient>;
let server: TestApiServer;
let platform: TestPlatform;
let api: Api;
let liveApi: Api;
let n = 0;

const callsProduct = unitPriceProduct({ name: "Calls", code: "calls", priceName: "Call", eventType: "api_call", unitPrice: 1 });

beforeAll(async () => {
  server = await startTestApiServer();
  platform = await createTestPlatform("Overdraft defaults");
  api = apiClient(server.url, platform.apiKey);
  liveApi = apiClient(server.url, (await createApiKey(platform.platformId, true)).key);
  expect((await api("POST", "/products", callsProduct)).status).toBe(201);
});
afterAll(async () => {
  await server.close();
  await closeDb();
});

async function newCustomer(): Promise<string> {
  const res = await api("POST", "/customers", { name: "Walter", subscriptions: [{ products: [{ code: "calls" }] }] });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

async function charge(customerId: string, calls = 1): Promise<string[]> {
  const events = Array.from({ length: calls }, () => ({ id: `call-${++n}`, event_type: "api_call", occurred_at: "2025-01-31T12:00:00Z" }));
  const res = await api("POST", "/events", { customer_id: customerId, events });
  expect(res.status).toBe(200);
  return res.body.results.map((r: { status: string }) => r.status);
}

const setDefault = (limit: number | string, client: Api = api) => client("PATCH", "/accounts/self", { settings: { default_overdraft_limit: limit } });
const available = async (customerId: string) => (await api("GET", `/customers/${customerId}/wallet/default:USD`)).body;

describe("GET /accounts/self", () => {
  it("answers the key's platform and mode; a new platform has no overdraft", async () => {
    const res = await api("GET", "/accounts/self");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: platform.platformId,
      name: "Overdraft defaults",
      live_mode: false,
      settings: { default_overdraft_limit: 0, default_low_balance_threshold: null },
    });
    expect((await liveApi("GET", "/accounts/self")).body).toMatchObject({ live_mode: true, settings: { default_overdraft_limit: 0, default_low_balance_threshold: null } });
    expect((await apiClient(server.url, "")("GET", "/accounts/self")).status).toBe(401);
  });
});

describe("the default overdraft limit", () => {
  it("applies to accounts without a limit of their own, from the next charge; an own limit wins", async () => {
    const follower = await newCustomer();
    const pinned = await newCustomer();
    expect(await charge(follower)).toEqual(["refused"]);
    // pinned sets its own limit of 0 explicitly
    expect((await api("PATCH", `/customers/${pinned}/wallet/default:USD`, { overdraft_limit: 0 })).status).toBe(200);

    const res = await setDefault(5);
    expect(res.status).toBe(200);
    expect(res.body.settings).toEqual({ default_overdraft_limit: 5, default_low_balance_threshold: null });

    expect(await charge(follower, 6)).toEqual(["billed", "billed", "billed", "billed", "billed", "refused"]);
    expect(await available(follower)).toMatchObject({ available: -5, overdraft_limit: 5 });
    expect(await charge(pinned)).toEqual(["refused"]);
    expect(await available(pinned)).toMatchObject({ available: 0, overdraft_limit: 0 });

    // null: back to following the default
    expect((await api("PATCH", `/customers/${pinned}/wallet/default:USD`, { overdraft_limit: null })).body).toMatchObject({ overdraft_limit: 5 });
    expect(await charge(pinned)).toEqual(["billed"]);
    for (const id of [follower, pinned]) expect(await verifyLedger(id)).toEqual([]);
  });

  it("is refused (409) below what an account following it owes, and changes nothing", async () => {
    await setDefault(5);
    const debtor = await newCustomer();
    expect(await charge(debtor, 2)).toEqual(["billed", "billed"]);
    const res = await setDefault(1);
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(/owes? more than 1/);
    expect((await api("GET", "/accounts/self")).body.settings.default_overdraft_limit).toBe(5);
    expect(await verifyLedger(debtor)).toEqual([]);
  });

  it("can be unlimited, and is per mode: a test key never changes live accounts", async () => {
    const res = await setDefault("unlimited");
    expect(res.body.settings).toEqual({ default_overdraft_limit: "unlimited", default_low_balance_threshold: null });
    const spender = await newCustomer();
    expect(await charge(spender, 20)).toEqual(Array(20).fill("billed"));
    expect((await available(spender)).available).toBe(-20);
    expect((await liveApi("GET", "/accounts/self")).body.settings.default_overdraft_limit).toBe(0);
    expect(await verifyLedger(spender)).toEqual([]);

    // A live customer of the same platform still stops at 0.
    expect((await liveApi("POST", "/products", callsProduct)).status).toBe(201);
    const live = await liveApi("POST", "/customers", { name: "Live", subscriptions: [{ products: [{ code: "calls" }] }] });
    const liveCharge = await liveApi("POST", "/events", {
      customer_id: live.body.id,
      events: [{ id: `live-${++n}`, event_type: "api_call", occurred_at: "2025-01-31T12:00:00Z" }],
    });
    expect(liveCharge.body.results.map((r: { status: string }) => r.status)).toEqual(["refused"]);
  });

  it("answers 422 for a negative, unknown, too large or missing value, and writes nothing", async () => {
    const before = (await api("GET", "/accounts/self")).body.settings.default_overdraft_limit;
    for (const body of [
      { settings: { default_overdraft_limit: -1 } },
      { settings: { default_overdraft_limit: "infinite" } },
      { settings: { default_overdraft_limit: 1e16 } },
      { settings: {} },
      { default_overdraft_limit: 3 },
    ]) {
      const res = await api("PATCH", "/accounts/self", body);
      expect(res.status, JSON.stringify(body)).toBe(422);
    }
    expect((await api("GET", "/accounts/self")).body.settings.default_overdraft_limit).toBe(before);
  });
});

describe("the default low-balance threshold", () => {
  const lowBalanceEvents = async (customerId: string) =>
    (
      await pool().query<{ data: Record<string, unknown> }>(
        `SELECT data FROM webhook_events WHERE customer_id = $1 AND type = 'wallet.balance_low' ORDER BY created_at, id`,
        [customerId],
      )
    ).rows.map((r) => r.data);
  const fund = async (customerId: string, amount: number) =>
    expect(
      (
        await api("POST", `/customers/${customerId}/wallet/adjustments`, {
          transaction_id: `fund-${++n}`,
          asset: "USD",
          amount,
          reason: "external_topup",
        })
      ).status,
    ).toBe(201);

  it("fires wallet.balance_low for accounts without a threshold of their own; an own threshold wins; per mode; null clears it", async () => {
    expect((await api("POST", "/webhooks", { url: "https://hooks.example.com/drawdown" })).status).toBe(201);
    const follower = await newCustomer();
    const pinned = await newCustomer();
    await fund(follower, 10);
    await fund(pinned, 10);
    expect((await api("PATCH", `/customers/${pinned}/wallet/default:USD`, { low_balance_threshold: 1 })).status).toBe(200);
    const overdraftBefore = (await api("GET", "/accounts/self")).body.settings.default_overdraft_limit;

    const res = await api("PATCH", "/accounts/self", { settings: { default_low_balance_threshold: 5 } });
    expect(res.status).toBe(200);
    expect(res.body.settings).toEqual({ default_overdraft_limit: overdraftBefore, default_low_balance_threshold: 5 });
    expect((await liveApi("GET", "/accounts/self")).body.settings.default_low_balance_threshold).toBeNull();
    // Setting it fires nothing by itself; the account view keeps showing the account's own value.
    expect(await lowBalanceEvents(follower)).toEqual([]);
    expect((await available(follower)).low_balance_threshold).toBeNull();

    await charge(follower, 6); // 10 → 4: crossed the platform's 5
    await charge(pinned, 6); // 10 → 4: its own 1 is not crossed
    expect(await lowBalanceEvents(follower)).toEqual([
      { customer_id: follower, account_id: "default:USD", asset: "USD", available: 4, low_balance_threshold: 5 },
    ]);
    expect(await lowBalanceEvents(pinned)).toEqual([]);
    await charge(follower, 1); // 4 → 3: still below, no second event
    expect(await lowBalanceEvents(follower)).toHaveLength(1);

    // null: no default any more
    const cleared = await api("PATCH", "/accounts/self", { settings: { default_low_balance_threshold: null } });
    expect(cleared.body.settings.default_low_balance_threshold).toBeNull();
    await fund(follower, 10);
    await charge(follower, 10);
    expect(await lowBalanceEvents(follower)).toHaveLength(1);
    for (const id of [follower, pinned]) expect(await verifyLedger(id)).toEqual([]);
  });

  it("answers 422 for a negative, non-numeric or too large value, and writes nothing", async () => {
    await api("PATCH", "/accounts/self", { settings: { default_low_balance_threshold: 2 } });
    for (const value of [-1, "lots", 1e16]) {
      const res = await api("PATCH", "/accounts/self", { settings: { default_low_balance_threshold: value } });
      expect(res.status, JSON.stringify(value)).toBe(422);
      expect(res.body.errors[0].field).toBe("settings/default_low_balance_threshold");
    }
    expect((await api("GET", "/accounts/self")).body.settings.default_low_balance_threshold).toBe(2);
    await api("PATCH", "/accounts/self", { settings: { default_low_balance_threshold: null } });
  });
});

describe("a default limit change and the ledger's batches", () => {
  it("waits for the platform's batch in flight, then checks the balance it left", async () => {
    // A platform of its own: no other customer of it owes anything.
    const own = apiClient(server.url, (await createTestPlatform("Limit change racing a batch")).apiKey);
    const created = await own("POST", "/customers", { name: "Rita" });
    expect(created.status).toBe(201);
    const customerId = created.body.id as string;
    expect((await setDefault(10, own)).status).toBe(200);
    let started!: () => void;
    const inFlight = new Promise<void>((resolve) => (started = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // A batch held open after its BEGIN (it holds its locks) until the gate opens.
    const held: BatchGroup<null, null> = {
      async preload() {
        started();
        await gate;
        return null;
      },
    };
    const charged = runInCustomerBatch(customerId, {
      idempotencyKeys: ["into-debt"],
      group: held,
      groupInput: null,
      apply: (wallet) => wallet.charge({ idempotencyKey: "into-debt", legs: [{ accountName: "default", asset: "USD", amount: new Dec(8) }] }),
    });
    await inFlight;
    let answered = false;
    const lowered = setDefault(5, own).then((res) => {
      answered = true;
      return res;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Balance 0 now: without the lock the change would pass here, and the charge to -8 after it.
    expect(answered).toBe(false);
    release();
    expect((await charged).legs[0]!.balance_after).toBe("-8");
    const res = await lowered;
    expect(res.status).toBe(409);
    expect(res.body.errors).toEqual([{ field: "settings/default_overdraft_limit", message: "lower than what accounts following it owe" }]);
    expect((await own("GET", `/customers/${customerId}/wallet/default:USD`)).body.available).toBe(-8);
  });
});
