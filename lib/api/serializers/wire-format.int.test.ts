import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient, startTestApiServer, type TestApiServer } from "@/test/api-server";
import { createTestPlatform } from "@/test/factories";
import { productExample, seedAdjustment, seedEvents } from "@/test/seed";

/**
 * The usage and wallet answers as raw bytes (key order, number text, nulls), with only the
 * random ids and the clock's times masked. The texts were recorded from the handlers as they
 * were before the domain returned domain objects (the serializers here took over), so these
 * prove the wire did not move by a byte.
 */
let server: TestApiServer;
let apiKey: string;

beforeAll(async () => {
  server = await startTestApiServer();
  apiKey = (await createTestPlatform("Wire")).apiKey;
  const api = apiClient(server.url, apiKey);
  expect((await api("POST", "/assets", { code: "CREDIT", name: "Credits", precision: 0, rates: [{ source: "USD", rate: 0.01 }] })).status).toBe(201);
  expect((await api("POST", "/products", productExample)).status).toBe(201);
});
afterAll(() => server.close());

/** Ids (`cust_…`, 26 random characters) and server-side times masked; the request's own times kept. */
function mask(text: string): string {
  return text.replace(/\b([a-z]+)_[0-9a-z]{26}\b/g, "<$1>").replace(/"(20(?!24-07-29)\d\d-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)"/g, '"<time>"');
}

async function raw(method: string, pathname: string, body?: unknown): Promise<{ status: number; text: string; json: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await fetch(`${server.url}/api/v1${pathname}`, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text: mask(text), json: JSON.parse(text) };
}

/** Writes a few ms apart, so lists ordered by created_at never tie (a tie falls back to the random id). */
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

const RECORD = process.env.RECORD_WIRE === "1";

describe("usage and wallet answers, byte for byte", () => {
  it("adjustments, events (billed, unbilled, refused, duplicate), wallet, account, grants, transactions", async () => {
    const created = await raw("POST", "/customers", { name: "Wire", subscriptions: [{ products: [{ code: "chat", version: "default" }] }] });
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    const answers: [string, { status: number; text: string }][] = [];
    const record = async (label: string, method: string, pathname: string, body?: unknown) => {
      answers.push([label, await raw(method, pathname, body)]);
      await tick();
    };

    await record("adjustment", "POST", `/customers/${id}/wallet/adjustments`, seedAdjustment);
    await record("large", "POST", `/customers/${id}/wallet/adjustments`, { transaction_id: "large-1", asset: "USD", amount: "123456789012.34", reason: "correction", expires_at: null });
    await record("adjustment replay", "POST", `/customers/${id}/wallet/adjustments`, seedAdjustment);
    await record("debit", "POST", `/customers/${id}/wallet/adjustments`, { transaction_id: "debit-1", asset: "USD", amount: -1.1, reason: "charge" });
    const seed = seedEvents(id);
    await record("events", "POST", "/events", {
      customer_id: id,
      events: [
        seed.events[0],
        { id: "unbilled-1", event_type: "nothing_priced", occurred_at: "2024-07-29T15:51:28.071Z", data: { a: [1, { b: null }] } },
        { id: "refused-1", event_type: "api_call", occurred_at: "2024-07-29T15:51:28.071Z", subject: "s", description: "d" },
        { id: "missing-1", event_type: "message_completed", occurred_at: "2024-07-29T15:51:28.071Z", data: { model: "gpt-4-1" } },
      ],
    });
    await record("events again", "POST", "/events", { customer_id: id, events: [seed.events[0], { id: "big-1", event_type: "message_completed", occurred_at: "2024-07-29T15:51:28.071Z", data: { model: "o3", input_tokens: "3.123456789" } }] });
    await record("gift", "POST", `/customers/${id}/wallet/adjustments`, { transaction_id: "gift-1", asset: "CREDIT", amount: 3, reason: "gift", expires_at: "2099-01-01T00:00:00.000Z", metadata: { campaign: "wire" } });
    await record("event list", "GET", `/events?customer_id=${id}`);
    await record("event", "GET", `/events/refused-1?customer_id=${id}`);
    await record("wallet", "GET", `/customers/${id}/wallet`);
    await record("account", "GET", `/customers/${id}/wallet/default:USD`);
    await record("account patch", "PATCH", `/customers/${id}/wallet/default:USD`, { overdraft_limit: "2.5", low_balance_threshold: "0.5" });
    await record("credit account", "GET", `/customers/${id}/wallet/default:CREDIT`);
    await record("grants", "GET", `/customers/${id}/wallet/credit-grants`);
    await record("transactions", "GET", `/customers/${id}/wallet/transactions?limit=4&offset=1`);

    if (RECORD) {
      console.log(JSON.stringify(answers.map(([label, a]) => [label, a.status, a.text]), null, 1));
      return;
    }
    expect(answers.map(([label, a]) => [label, a.status, a.text])).toEqual(expected);
  });
});

/** Recorded with RECORD_WIRE=1 from the handlers before the serializers (see the file comment). */
const expected: [string, number, string][] = [
  ["adjustment", 201, String.raw`{"id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","created_at":"<time>"}`],
  ["large", 201, String.raw`{"id":"large-1","created_at":"<time>"}`],
  ["adjustment replay", 201, String.raw`{"id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","created_at":"<time>"}`],
  ["debit", 201, String.raw`{"id":"debit-1","created_at":"<time>"}`],
  ["events", 200, String.raw`{"results":[{"id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","status":"billed","fees":[{"amount":0.00294125,"asset":"USD","account_id":"default:USD","product_id":"<prp>","product_version":1,"price_name":"Input tokens","balance_after":123456789036.23706}]},{"id":"unbilled-1","status":"unbilled","reason":"no_matching_price","detail":"no subscribed price for event_type \"nothing_priced\"","fees":[]},{"id":"refused-1","status":"refused","reason":"insufficient_funds","fees":[{"amount":1,"asset":"CREDIT","account_id":"default:CREDIT","product_id":"<prp>","product_version":1,"price_name":"Requests"}]},{"id":"missing-1","status":"unbilled","reason":"missing_volume_field","detail":"data.input_tokens is missing: price \"Input tokens\" charges by it","fees":[]}]}`],
  ["events again", 200, String.raw`{"results":[{"id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","status":"duplicate","fees":[{"amount":0.00294125,"asset":"USD","account_id":"default:USD","product_id":"<prp>","product_version":1,"price_name":"Input tokens"}]},{"id":"big-1","status":"billed","fees":[{"amount":0.000007808642,"asset":"USD","account_id":"default:USD","product_id":"<prp>","product_version":1,"price_name":"Input tokens","balance_after":123456789036.23705}]}]}`],
  ["gift", 201, String.raw`{"id":"gift-1","created_at":"<time>"}`],
  ["event list", 200, String.raw`{"items":[{"id":"big-1","customer_id":"<cust>","event_type":"message_completed","occurred_at":"2024-07-29T15:51:28.071Z","subject":null,"description":null,"data":{"model":"o3","input_tokens":"3.123456789"},"status":"billed","reason":null,"fees":[{"amount":0.000007808642,"asset":"USD","account_id":"default:USD","product_id":"<prp>","product_version":1,"price_name":"Input tokens"}],"source_reference":null,"costs":[],"hold_id":null,"created_at":"<time>"},{"id":"unbilled-1","customer_id":"<cust>","event_type":"nothing_priced","occurred_at":"2024-07-29T15:51:28.071Z","subject":null,"description":null,"data":{"a":[1,{"b":null}]},"status":"unbilled","reason":"no_matching_price","fees":[],"source_reference":null,"costs":[],"hold_id":null,"created_at":"<time>"},{"id":"refused-1","customer_id":"<cust>","event_type":"api_call","occurred_at":"2024-07-29T15:51:28.071Z","subject":"s","description":"d","data":{},"status":"refused","reason":"insufficient_funds","fees":[{"amount":1,"asset":"CREDIT","account_id":"default:CREDIT","product_id":"<prp>","product_version":1,"price_name":"Requests"}],"source_reference":null,"costs":[],"hold_id":null,"created_at":"<time>"},{"id":"missing-1","customer_id":"<cust>","event_type":"message_completed","occurred_at":"2024-07-29T15:51:28.071Z","subject":null,"description":null,"data":{"model":"gpt-4-1"},"status":"unbilled","reason":"missing_volume_field","fees":[],"source_reference":null,"costs":[],"hold_id":null,"created_at":"<time>"},{"id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","customer_id":"<cust>","event_type":"message_completed","occurred_at":"2024-07-29T15:51:28.071Z","subject":"chat_5f53d23a4958","description":"Chat message completed","data":{"model":"gpt-4-1","input_tokens":2353,"output_tokens":34697},"status":"billed","reason":null,"fees":[{"amount":0.00294125,"asset":"USD","account_id":"default:USD","product_id":"<prp>","product_version":1,"price_name":"Input tokens"}],"source_reference":null,"costs":[],"hold_id":null,"created_at":"<time>"}],"total_count":5,"limit":20,"offset":0}`],
  ["event", 200, String.raw`{"id":"refused-1","customer_id":"<cust>","event_type":"api_call","occurred_at":"2024-07-29T15:51:28.071Z","subject":"s","description":"d","data":{},"status":"refused","reason":"insufficient_funds","fees":[{"amount":1,"asset":"CREDIT","account_id":"default:CREDIT","product_id":"<prp>","product_version":1,"price_name":"Requests"}],"source_reference":null,"costs":[],"hold_id":null,"created_at":"<time>"}`],
  ["wallet", 200, String.raw`{"accounts":[{"id":"default:USD","name":"default","asset":"USD","available":123456789036.23705},{"id":"default:CREDIT","name":"default","asset":"CREDIT","available":3}]}`],
  ["account", 200, String.raw`{"id":"default:USD","name":"default","asset":"USD","available":123456789036.23705,"pending_in":0,"pending_out":0,"overdraft_limit":0,"low_balance_threshold":null,"created_at":"<time>"}`],
  ["account patch", 200, String.raw`{"id":"default:USD","name":"default","asset":"USD","available":123456789036.23705,"pending_in":0,"pending_out":0,"overdraft_limit":2.5,"low_balance_threshold":0.5,"created_at":"<time>"}`],
  ["credit account", 200, String.raw`{"id":"default:CREDIT","name":"default","asset":"CREDIT","available":3,"pending_in":0,"pending_out":0,"overdraft_limit":0,"low_balance_threshold":null,"created_at":"<time>"}`],
  ["grants", 200, String.raw`{"items":[{"id":"<grant>","account_id":"default:CREDIT","purpose":"promotion","amount":3,"remaining":3,"effective_at":"<time>","expires_at":"<time>","status":"live","source":{"reason":"gift","adjustment_id":"gift-1"},"created_at":"<time>"},{"id":"<grant>","account_id":"default:USD","purpose":"paid","amount":123456789012.34,"remaining":123456789012.34,"effective_at":"<time>","expires_at":null,"status":"live","source":{"reason":"correction","adjustment_id":"large-1"},"created_at":"<time>"},{"id":"<grant>","account_id":"default:USD","purpose":"paid","amount":25,"remaining":23.897050941358,"effective_at":"<time>","expires_at":"<time>","status":"live","source":{"reason":"external_topup","adjustment_id":"3fa85f64-5717-4562-b3fc-2c963f66afa6"},"created_at":"<time>"}],"total_count":3,"limit":20,"offset":0}`],
  ["transactions", 200, String.raw`{"items":[{"id":"<ltx>","kind":"charge","description":null,"metadata":{"event_id":"big-1","event_type":"message_completed"},"entries":[{"account_id":"default:USD","asset":"USD","amount":-0.000007808642,"kind":"charge","grant_id":"<grant>","rate":null}],"created_at":"<time>"},{"id":"<ltx>","kind":"charge","description":"Chat message completed","metadata":{"event_id":"3fa85f64-5717-4562-b3fc-2c963f66afa6","event_type":"message_completed"},"entries":[{"account_id":"default:USD","asset":"USD","amount":-0.00294125,"kind":"charge","grant_id":"<grant>","rate":null}],"created_at":"<time>"},{"id":"<ltx>","kind":"charge","description":null,"metadata":{"reason":"charge","adjustment_id":"debit-1"},"entries":[{"account_id":"default:USD","asset":"USD","amount":-1.1,"kind":"charge","grant_id":"<grant>","rate":null}],"created_at":"<time>"},{"id":"<ltx>","kind":"credit","description":null,"metadata":{"reason":"correction","adjustment_id":"large-1"},"entries":[{"account_id":"default:USD","asset":"USD","amount":123456789012.34,"kind":"credit","grant_id":"<grant>","rate":null}],"created_at":"<time>"}],"total_count":6,"limit":4,"offset":1}`],
];
