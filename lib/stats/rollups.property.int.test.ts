import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pool } from "@/lib/db";
import { Dec } from "@/lib/money";
import { apiClient, startTestApiServer, type TestApiServer } from "@/test/api-server";
import { createTestPlatform } from "@/test/factories";
import { getStats } from "./get-stats";
import { verifyCustomerRollups } from "./verify-rollups";

/**
 * Random streams of priced usage events with costs (duplicates, unbilled and refused ones,
 * concurrent requests batched together) leave rollups equal to a recomputation from the
 * stored events, and the stats answer what the ledger charged and the events' costs sum to,
 * to the last digit.
 */

let server: TestApiServer;
let api: ReturnType<typeof apiClient>;
let tenant: { platformId: string; liveMode: boolean };
let vendors: string[];

beforeAll(async () => {
  server = await startTestApiServer();
  const platform = await createTestPlatform("Rollups");
  tenant = { platformId: platform.platformId, liveMode: false };
  api = apiClient(server.url, platform.apiKey);
  const price = (eventType: string, unitPrice: string, asset: string) => ({
    name: eventType,
    type: "usage_based",
    billing_model: { type: "real_time" },
    usage_calculation: { event_type: eventType, usage_type: "unit" },
    pricing: [{ asset, values: [{ unit_price: unitPrice }] }],
  });
  expect((await api("POST", "/assets", { code: "CREDIT", name: "Credits", precision: 0, rates: [{ source: "USD", rate: 0.01 }] })).status).toBe(201);
  // "both" is priced by two products, one fee each (two assets): per-product rows split it.
  const chat = await api("POST", "/products", { name: "Chat", code: "chat", publish: true, prices: [price("chat", "0.1", "USD"), price("both", "0.05", "USD")] });
  const img = await api("POST", "/products", { name: "Img", code: "img", publish: true, prices: [price("image", "0.25", "USD"), price("both", "3", "CREDIT")] });
  expect([chat.status, img.status]).toEqual([201, 201]);
  vendors = [];
  for (const name of ["OpenAI", "fal"]) vendors.push((await api("POST", "/vendors", { name, external_id: name })).body.id);
}, 60_000);
afterAll(() => server.close());

const costArb = fc.record({
  vendor: fc.integer({ min: 0, max: 1 }),
  byExternalId: fc.boolean(),
  amount: fc.constantFrom("0", "0.000000000001", "0.03", "1.5", "0.333333333333", "12"),
  currency: fc.constantFrom("USD", "EUR"),
});
const eventArb = fc.record({
  id: fc.integer({ min: 0, max: 14 }), // a small pool of ids: repeats are duplicates
  type: fc.constantFrom("chat", "image", "both", "unpriced"),
  day: fc.integer({ min: 0, max: 40 }),
  hour: fc.integer({ min: 0, max: 23 }),
  costs: fc.array(costArb, { maxLength: 3 }),
});
const streamArb = fc.record({
  usd: fc.constantFrom("0", "0.3", "1", "5"),
  credits: fc.constantFrom("0", "6", "100"),
  // Requests sent at once (batched together by the ledger), each a few events.
  requests: fc.array(fc.array(eventArb, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 5 }),
});

describe("stats rollups", () => {
  it("equal a recomputation from the stored events, and the stats match the ledger and the costs", async () => {
    await fc.assert(
      fc.asyncProperty(streamArb, async (stream) => {
        const customer = (await api("POST", "/customers", { name: "P", subscriptions: [{ products: [{ code: "chat" }, { code: "img" }] }] })).body.id as string;
        for (const [asset, amount] of [["USD", stream.usd], ["CREDIT", stream.credits]] as const) {
          if (amount === "0") continue;
          const res = await api("POST", `/customers/${customer}/wallet/adjustments`, { transaction_id: `f-${asset}-${customer}`, asset, amount, reason: "gift" });
          expect(res.status).toBe(201);
        }
        const responses = await Promise.all(
          stream.requests.map((events) =>
            api("POST", "/events", {
              customer_id: customer,
              events: events.map((e) => ({
                id: `ev-${e.id}`,
                event_type: e.type,
                occurred_at: new Date(Date.UTC(2026, 5, 1 + e.day, e.hour, 30)).toISOString(),
                costs: e.costs.map((c) => ({
                  ...(c.byExternalId ? { vendor_external_id: ["OpenAI", "fal"][c.vendor] } : { vendor_id: vendors[c.vendor] }),
                  amount: c.amount,
                  currency: c.currency,
                })),
              })),
            }),
          ),
        );
        for (const r of responses) expect(r.status, JSON.stringify(r.body)).toBe(200);

        expect(await verifyCustomerRollups(customer)).toEqual([]);

        // Independently of the rollup rules: revenue is what the ledger charged for events,
        // costs are what the stored events carry, counts are the stored events.
        const stats = await getStats(tenant, { kind: "customer", id: customer }, { from: "2026-06-01", to: "2026-07-31" });
        const { rows: charged } = await pool().query<{ asset: string; amount: string }>(
          `SELECT a.asset, (-sum(e.amount))::text AS amount FROM ledger_entries e
             JOIN ledger_transactions t ON t.id = e.transaction_id JOIN accounts a ON a.id = e.account_id
            WHERE t.customer_id = $1 AND t.kind = 'charge'
              AND EXISTS (SELECT 1 FROM usage_events u WHERE u.customer_id = t.customer_id AND u.transaction_id = t.id)
            GROUP BY a.asset ORDER BY a.asset`,
          [customer],
        );
        expect(stats.revenue.map((r) => [r.asset, r.amount.toFixed()])).toEqual(charged.map((c) => [c.asset, new Dec(c.amount).toFixed()]));
        const { rows: costs } = await pool().query<{ currency: string; amount: string }>(
          `SELECT c->>'currency' AS currency, sum((c->>'amount')::numeric)::text AS amount
             FROM usage_events e CROSS JOIN LATERAL jsonb_array_elements(coalesce(e.costs, '[]')) c
            WHERE e.customer_id = $1 GROUP BY 1 ORDER BY 1`,
          [customer],
        );
        expect(stats.costs.map((c) => [c.currency, c.amount.toFixed()])).toEqual(costs.map((c) => [c.currency, new Dec(c.amount).toFixed()]));
        const { rows: counts } = await pool().query<{ n: string }>("SELECT count(*)::text AS n FROM usage_events WHERE customer_id = $1", [customer]);
        const distinctIds = new Set(stream.requests.flat().map((e) => e.id)).size;
        expect(stats.events.total).toBe(Number(counts[0]!.n));
        expect(stats.events.total).toBe(distinctIds);

      }),
      { numRuns: 25 },
    );
  }, 240_000);
});
