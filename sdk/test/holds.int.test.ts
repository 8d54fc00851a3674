import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { subscribeCustomer } from "@/lib/catalog";
import { closeDb } from "@/lib/db";
import { createTestCustomer } from "@/test/factories";
import { DrawdownApiError, DrawdownClient, DrawdownConflictError, type Hold } from "../src/index";
import { setUpChatProduct, startSdkTestApp, type SdkTestApp } from "./support";

/**
 * `client.holds` and its `run` helper against the real app (route handlers over HTTP,
 * embedded PostgreSQL). Chat's `api_call` costs 1 CREDIT; each customer starts with 10.
 */

let app: SdkTestApp;
let client: DrawdownClient;

beforeAll(async () => {
  app = await startSdkTestApp("SDK holds");
  client = app.client();
  const { customerId } = await createTestCustomer(app.platform.platformId);
  await setUpChatProduct(app, customerId); // the assets and the product (the platform's)
});
afterAll(async () => {
  await app?.close();
  await closeDb();
});

const uuid = () => crypto.randomUUID();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const apiCall = (holdId?: string) => ({ id: `evt-${uuid()}`, eventType: "api_call", occurredAt: new Date().toISOString(), ...(holdId ? { holdId } : {}) });

/** A customer subscribed to Chat with 10 CREDIT. */
async function fundedCustomer(): Promise<string> {
  const { customerId } = await createTestCustomer(app.platform.platformId);
  await subscribeCustomer(app.platform, customerId, [{ code: "chat", version: "default" }]);
  await client.customerWalletOps.createAdjustment(customerId, { transactionId: uuid(), asset: "CREDIT", amount: 10, reason: "gift" });
  return customerId;
}

const credit = async (customerId: string) => {
  const account = await client.customerWalletOps.getAccount(customerId, "default:CREDIT");
  return { available: account.available, pendingOut: account.pendingOut };
};

async function holdByReference(customerId: string, reference: string): Promise<Hold | undefined> {
  for await (const hold of client.holds.listAll(customerId)) if (hold.reference === reference) return hold;
  return undefined;
}

describe("holds", () => {
  it("create (idempotent by id), get, list, usage with holdId, extend, capture, release; 402 and 409s", async () => {
    const customerId = await fundedCustomer();
    const reference = `render-${uuid()}`;
    const body = { id: reference, amount: 4, asset: "CREDIT", ttlSeconds: 600, subject: "job-1", metadata: { job_id: "J-1" } };
    const hold = await client.holds.create(customerId, body);
    expect(hold).toMatchObject({
      id: expect.stringMatching(/^hold_/),
      reference,
      customerId,
      status: "held",
      amounts: [{ accountId: "default:CREDIT", asset: "CREDIT", amount: 4, captured: 0, released: 0 }],
      subject: "job-1",
      metadata: { job_id: "J-1" },
    });
    expect(await credit(customerId)).toEqual({ available: 6, pendingOut: 4 });
    expect((await client.holds.create(customerId, body)).id).toBe(hold.id);
    expect(await client.holds.get(customerId, hold.id)).toEqual(hold);

    const partial = await client.events.sendUsage({ customerId, events: [apiCall(hold.id)] });
    expect(partial.results[0]).toMatchObject({ status: "billed" });
    expect(await client.holds.get(customerId, hold.id)).toMatchObject({ status: "held", amounts: [{ captured: 1 }] });

    const extended = await client.holds.extend(customerId, hold.id, { ttlSeconds: 1200 });
    expect(Date.parse(extended.expiresAt)).toBeGreaterThan(Date.parse(hold.expiresAt));

    const captured = await client.holds.capture(customerId, hold.id, { events: [apiCall(), apiCall()] });
    expect(captured.results.map((r) => r.status)).toEqual(["billed", "billed"]);
    expect(captured.hold).toMatchObject({ status: "captured", amounts: [{ amount: 4, captured: 3, released: 1 }] });
    expect(await credit(customerId)).toEqual({ available: 7, pendingOut: 0 });
    await expect(client.holds.release(customerId, hold.id)).rejects.toBeInstanceOf(DrawdownConflictError);

    const tooMuch = await client.holds.create(customerId, { id: uuid(), amount: 100, asset: "CREDIT" }).catch((e: unknown) => e);
    expect(tooMuch).toBeInstanceOf(DrawdownApiError);
    expect(tooMuch).toMatchObject({ status: 402, code: "insufficient_funds" });

    const estimated = await client.holds.create(customerId, { id: uuid(), estimate: { eventType: "api_call" } });
    expect(estimated.amounts).toEqual([{ accountId: "default:CREDIT", asset: "CREDIT", amount: 1, captured: 0, released: 0 }]);
    expect(await client.holds.release(customerId, estimated.id)).toMatchObject({ status: "released", amounts: [{ released: 1 }] });
    await expect(client.holds.capture(customerId, estimated.id, { events: [apiCall()] })).rejects.toBeInstanceOf(DrawdownConflictError);

    expect((await client.holds.list(customerId, { status: "captured" })).items.map((h) => h.id)).toEqual([hold.id]);
    expect((await client.holds.list(customerId, { status: "released" })).items.map((h) => h.id)).toEqual([estimated.id]);
    const all: string[] = [];
    for await (const h of client.holds.listAll(customerId, { limit: 1 })) all.push(h.id);
    expect(all).toEqual([estimated.id, hold.id]);
    expect(await credit(customerId)).toEqual({ available: 7, pendingOut: 0 });
  });
});

describe("holds.run", () => {
  it("extends the hold while the work runs, then captures the events it returns and releases the rest", async () => {
    const customerId = await fundedCustomer();
    const reference = `stream-${uuid()}`;
    const seen: { first?: Hold; later?: Hold } = {};
    const result = await client.holds.run(
      { customerId, id: reference, amount: 5, asset: "CREDIT", ttlSeconds: 60 },
      async ({ hold, signal }) => {
        seen.first = hold;
        expect(await credit(customerId)).toEqual({ available: 5, pendingOut: 5 });
        await sleep(400);
        seen.later = await client.holds.get(customerId, hold.id);
        expect(signal.aborted).toBe(false);
        return [apiCall(), apiCall()];
      },
      { extendEvery: 100, extendTtlSeconds: 3600 },
    );
    // Extended to an hour from now, well past the 60 s it was created with.
    expect(Date.parse(seen.later!.expiresAt) - Date.parse(seen.first!.expiresAt)).toBeGreaterThan(3000_000);
    expect(result.results.map((r) => r.status)).toEqual(["billed", "billed"]);
    expect(result.hold).toMatchObject({ id: seen.first!.id, reference, status: "captured", amounts: [{ amount: 5, captured: 2, released: 3 }] });
    expect(await credit(customerId)).toEqual({ available: 8, pendingOut: 0 });
  });

  it("releases the hold and rethrows when the work throws", async () => {
    const customerId = await fundedCustomer();
    const reference = `fail-${uuid()}`;
    const failure = new Error("the model failed");
    await expect(
      client.holds.run({ customerId, id: reference, amount: 3, asset: "CREDIT" }, async () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await holdByReference(customerId, reference)).toMatchObject({ status: "released", amounts: [{ amount: 3, captured: 0, released: 3 }] });
    expect(await credit(customerId)).toEqual({ available: 10, pendingOut: 0 });
  });

  it("an aborted stream: usage sent with holdId so far stays charged, the rest is released", async () => {
    const customerId = await fundedCustomer();
    const reference = `abort-${uuid()}`;
    const disconnect = new AbortController();
    let chunks = 0;
    const run = client.holds.run(
      { customerId, id: reference, estimate: { eventType: "api_call" } },
      async ({ hold, signal }) => {
        // A stream billing each chunk as it goes (partial captures), until its client leaves.
        for (;;) {
          signal.throwIfAborted();
          await client.events.sendUsage({ customerId, events: [apiCall(hold.id)] });
          chunks++;
          if (chunks === 1) disconnect.abort(new Error("client disconnected"));
          await sleep(20);
        }
      },
      { extendEvery: 1000, signal: disconnect.signal },
    );
    await expect(run).rejects.toThrow("client disconnected");
    const hold = await holdByReference(customerId, reference);
    expect(hold).toMatchObject({ status: "released", amounts: [{ amount: 1, captured: 1, released: 0 }] });
    expect(await credit(customerId)).toEqual({ available: 9, pendingOut: 0 });
    expect(chunks).toBe(1);
  });

  it("an abort before the hold exists creates nothing", async () => {
    const customerId = await fundedCustomer();
    const aborted = AbortSignal.abort(new Error("gone"));
    await expect(client.holds.run({ customerId, id: uuid(), amount: 1, asset: "CREDIT" }, async () => [], { signal: aborted })).rejects.toThrow("gone");
    expect((await client.holds.list(customerId)).totalCount).toBe(0);
  });
});
