import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStripeHarness, type StripeHarness } from "@/lib/top-ups/testing/stripe-harness";
import { apiClient, startTestApiServer, type TestApiServer } from "@/test/api-server";
import { createTestPlatform, type TestPlatform } from "@/test/factories";
import { seedAdjustment } from "@/test/seed";

/**
 * The security matrix (unkey's shared route tests): every operation of the OpenAPI document
 * the API serves, walked from the document itself, answers
 * - a request without a key with a 401 problem (unless the operation is listed as public);
 * - another platform's key, given the first platform's ids (in the path, the query or the
 *   body), with a 404 problem, as if the ids did not exist; an operation without ids shows
 *   the caller's own platform only (its answer names none of the first platform's ids);
 * and the first platform's own key gets the same requests answered (the control: the 401s
 * and 404s are about the key and the ids, not a broken body).
 *
 * A new operation makes this file fail until it is given what the checks need: an id for
 * each path parameter (`pathIds`), a valid body if it takes one (`bodies`), and, without
 * path parameters, how another platform's key reaches the first one's data (`noPathIds`).
 * Operations are keyed by method and path, as the document lists them.
 */

interface Fixture {
  a: TestPlatform;
  b: TestPlatform;
  customerId: string;
  externalId: string;
  assetCode: string;
  productId: string;
  productCode: string;
  eventId: string;
  topUpId: string;
  webhookId: string;
  apiKeyId: string;
  vendorId: string;
  vendorExternalId: string;
  /** Open holds, one per request that names a hold (capture and release close theirs). */
  holdIds: string[];
}

type Build<T> = (f: Fixture) => T;

/**
 * The first platform's id for each path parameter, by the path up to that parameter. Every
 * `{param}` of every operation must resolve here.
 */
const pathIds: Record<string, Build<string>> = {
  "/customers/{id}": (f) => f.customerId,
  "/customers/{id}/wallet/{account_id}": () => "default:USD",
  "/customers/{id}/wallet/holds/{hold_id}": (f) => f.holdIds.pop()!,
  "/events/{id}": (f) => f.eventId,
  "/assets/{code}": (f) => f.assetCode,
  "/products/{id}": (f) => f.productId,
  "/products/{id}/{version}": () => "1",
  "/top-ups/{id}": (f) => f.topUpId,
  "/webhooks/{id}": (f) => f.webhookId,
  "/api-keys/{id}": (f) => f.apiKeyId,
  "/vendors/{id}": (f) => f.vendorId,
  "/events/vendors/{id}": (f) => f.vendorId,
};

const unique = () => `matrix-${Date.now()}-${Math.random().toString(36).slice(2)}`;

const unitPrice = {
  name: "Requests",
  type: "usage_based",
  usage_calculation: { event_type: "api_call", usage_type: "unit" },
  pricing: [{ asset: "USD", values: [{ unit_price: 0.01 }] }],
};

/** A valid body for each operation that takes one (built fresh for every request). */
const bodies: Record<string, Build<unknown>> = {
  "POST /customers": () => ({ name: "Matrix" }),
  "PATCH /customers/{id}/wallet/{account_id}": () => ({ overdraft_limit: 10 }),
  "POST /customers/{id}/wallet/adjustments": () => ({ ...seedAdjustment, transaction_id: unique(), expires_at: undefined }),
  "POST /customers/{id}/wallet/holds": () => ({ id: unique(), amount: 1, asset: "USD" }),
  "POST /customers/{id}/wallet/holds/{hold_id}/capture": () => ({ events: [] }),
  "POST /customers/{id}/wallet/holds/{hold_id}/extend": () => ({ ttl_seconds: 600 }),
  "POST /events": (f) => ({ customer_id: f.customerId, events: [{ id: unique(), event_type: "api_call", occurred_at: new Date().toISOString(), data: {} }] }),
  "POST /assets": () => ({ code: "BGEM", name: "Gems", precision: 0, rates: [{ source: "USD", rate: 0.1 }] }),
  "POST /assets/{code}/quote": () => ({ source: "USD", amount: 10 }),
  "POST /products": () => ({ name: "Other", code: "matrix-other", publish: true, prices: [unitPrice] }),
  "POST /products/{id}": () => ({ prices: [unitPrice] }),
  "PATCH /products/{id}/{version}": () => ({ publish: true }),
  "POST /products/{id}/{version}/simulate-usage": () => ({ events: [{ event_type: "api_call" }] }),
  "POST /top-ups": (f) => ({ customer_id: f.customerId, amount: 10, currency: "USD" }),
  "POST /webhooks": () => ({ url: "http://127.0.0.1:9/matrix" }),
  "POST /billing-portal/sessions": (f) => ({ customer_id: f.customerId, return_url: "https://glitch.ai/account" }),
  "POST /api-keys": () => ({ name: "matrix" }),
  "POST /vendors": () => ({ name: "Matrix vendor" }),
  "POST /events/vendors": () => ({ name: "Matrix vendor" }),
  "PATCH /accounts/self": () => ({ settings: { default_overdraft_limit: 0 } }),
};

/**
 * Operations without path parameters: `ids` sends the first platform's ids in the query
 * or the body (another platform's key gets 404); `own` acts on the caller's platform only
 * (another platform's key gets its own answer, naming none of the first platform's ids),
 * with `query` looking the first platform's data up where the operation can.
 */
type NoPathIdCase = { ids: "query" | "body"; query?: Build<Record<string, string>> } | { own: true; query?: Build<Record<string, string>> };
const noPathIds: Record<string, NoPathIdCase> = {
  "POST /customers": { own: true },
  "GET /customers": { own: true, query: (f) => ({ external_id: f.externalId }) },
  "POST /events": { ids: "body" },
  "GET /events": { ids: "query", query: (f) => ({ customer_id: f.customerId }) },
  "POST /assets": { own: true },
  "GET /assets": { own: true },
  "POST /products": { own: true },
  "GET /products": { own: true, query: (f) => ({ code: f.productCode }) },
  "POST /top-ups": { ids: "body" },
  "GET /top-ups": { ids: "query", query: (f) => ({ customer_id: f.customerId }) },
  "POST /webhooks": { own: true },
  "GET /webhooks": { own: true },
  "POST /billing-portal/sessions": { ids: "body" },
  "POST /api-keys": { own: true },
  "GET /api-keys": { own: true },
  "GET /accounts/self": { own: true },
  "PATCH /accounts/self": { own: true },
  "POST /vendors": { own: true },
  "GET /vendors": { own: true, query: (f) => ({ external_id: f.vendorExternalId }) },
  "POST /events/vendors": { own: true },
  "GET /events/vendors": { own: true, query: (f) => ({ external_id: f.vendorExternalId }) },
  "GET /stats": { own: true },
};

/** Operations that take no key. */
const publicOperations = new Set(["GET /openapi.json"]);

interface Operation {
  key: string;
  method: string;
  path: string;
  public: boolean;
  takesBody: boolean;
}

interface OpenApiOperation {
  security?: unknown[];
  requestBody?: unknown;
}

let server: TestApiServer;
let harness: StripeHarness;
let fixture: Fixture;
let operations: Operation[];

beforeAll(async () => {
  harness = await startStripeHarness();
  server = await startTestApiServer();
  const [a, b] = await Promise.all([createTestPlatform("Matrix"), createTestPlatform("Matrix, other platform")]);
  const api = apiClient(server.url, a.apiKey);
  const created = async (res: Promise<{ status: number; body: Record<string, unknown> }>, status = 201) => {
    const { status: got, body } = await res;
    expect(got, JSON.stringify(body)).toBe(status);
    return body;
  };
  const assetCode = "AGEM";
  await created(api("POST", "/assets", { code: assetCode, name: "Gems", precision: 0, rates: [{ source: "USD", rate: 0.1 }] }));
  const productCode = "matrix";
  const product = await created(api("POST", "/products", { name: "Matrix", code: productCode, publish: true, prices: [unitPrice] }));
  const externalId = unique();
  const customer = await created(api("POST", "/customers", { name: "Matrix", external_id: externalId, subscriptions: [{ products: [{ code: productCode }] }] }));
  const customerId = String(customer.id);
  await created(api("POST", `/customers/${customerId}/wallet/adjustments`, { ...seedAdjustment, transaction_id: unique(), expires_at: undefined, amount: 100 }));
  const eventId = unique();
  await created(api("POST", "/events", { customer_id: customerId, events: [{ id: eventId, event_type: "api_call", occurred_at: new Date().toISOString(), data: {} }] }), 200);
  const topUp = await created(api("POST", "/top-ups", { customer_id: customerId, amount: 10, currency: "USD" }));
  const webhook = await created(api("POST", "/webhooks", { url: "http://127.0.0.1:9/matrix" }));
  const apiKey = await created(api("POST", "/api-keys", { name: "matrix" }));
  const vendorExternalId = unique();
  const vendor = await created(api("POST", "/vendors", { name: "Matrix", external_id: vendorExternalId }));
  const holdIds: string[] = [];
  for (let i = 0; i < 20; i++) holdIds.push(String((await created(api("POST", `/customers/${customerId}/wallet/holds`, { id: unique(), amount: 1, asset: "USD" }))).id));
  fixture = {
    a,
    b,
    customerId,
    externalId,
    assetCode,
    productId: String(product.id),
    productCode,
    eventId,
    topUpId: String(topUp.id),
    webhookId: String(webhook.id),
    apiKeyId: String(apiKey.id),
    vendorId: String(vendor.id),
    vendorExternalId,
    holdIds,
  };

  const doc = await fetch(`${server.url}/api/v1/openapi.json`);
  expect(doc.status).toBe(200);
  const { paths } = (await doc.json()) as { paths: Record<string, Record<string, OpenApiOperation>> };
  operations = Object.entries(paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => ["get", "post", "put", "patch", "delete"].includes(method))
      .map(([method, op]) => ({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        public: Array.isArray(op.security) && op.security.length === 0,
        takesBody: op.requestBody !== undefined,
      })),
  );
}, 120_000);

afterAll(async () => {
  await server?.close();
  await harness?.close();
});

// ------------------------------------------------------------------ building requests

/** The path with the first platform's ids, or the parameters that have none in `pathIds`. */
function resolvePath(path: string, f: Fixture): { path: string; missing: string[] } {
  const missing: string[] = [];
  const resolved = path.replace(/\{(\w+)\}/g, (param, _name: string, offset: number) => {
    const id = pathIds[path.slice(0, offset + param.length)];
    if (!id) {
      missing.push(param);
      return param;
    }
    return encodeURIComponent(id(f));
  });
  return { path: resolved, missing };
}

function requestOf(op: Operation, f: Fixture): { url: string; body: string | undefined } {
  const query = noPathIdCase(op)?.query?.(f);
  const search = query ? `?${new URLSearchParams(query)}` : "";
  const body = bodies[op.key];
  return { url: `${server.url}/api/v1${resolvePath(op.path, f).path}${search}`, body: body ? JSON.stringify(body(f)) : undefined };
}

function noPathIdCase(op: Operation): NoPathIdCase | undefined {
  return op.path.includes("{") ? undefined : noPathIds[op.key];
}

async function send(op: Operation, f: Fixture, apiKey: string | undefined) {
  const { url, body } = requestOf(op, f);
  const response = await fetch(url, {
    method: op.method,
    headers: { ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    body,
  });
  return { status: response.status, contentType: response.headers.get("content-type"), text: await response.text() };
}

function expectProblem(label: string, res: { status: number; contentType: string | null; text: string }, status: number): void {
  expect.soft(res.status, `${label}: ${res.text.slice(0, 300)}`).toBe(status);
  expect.soft(res.contentType, `${label}: a problem`).toBe("application/problem+json");
  if (res.contentType === "application/problem+json") expect.soft((JSON.parse(res.text) as { status: number }).status, label).toBe(status);
}

/** The first platform's ids, none of which another platform's answers may name. */
function idsOf(f: Fixture): string[] {
  return [f.customerId, f.externalId, f.assetCode, f.productId, f.eventId, f.topUpId, f.webhookId, f.apiKeyId, f.a.apiKeyId, f.a.platformId];
}

// ------------------------------------------------------------------ the matrix

describe("every operation of the served OpenAPI document", () => {
  it("has what the matrix needs: ids for its path parameters, a valid body, a cross-platform case", () => {
    expect(operations.length).toBeGreaterThan(30);
    const problems: string[] = [];
    for (const op of operations) {
      for (const param of resolvePath(op.path, fixture).missing) {
        problems.push(`${op.key}: no fixture id for ${param}; add the first platform's id for "${op.path.slice(0, op.path.indexOf(param) + param.length)}" to pathIds`);
      }
      if (op.takesBody && !bodies[op.key]) problems.push(`${op.key}: takes a body; add a valid one to bodies`);
      if (!op.takesBody && bodies[op.key]) problems.push(`${op.key}: takes no body in the document; remove it from bodies`);
      if (op.public !== publicOperations.has(op.key)) problems.push(`${op.key}: the document says ${op.public ? "public" : "needs a key"}; publicOperations says otherwise`);
      if (!op.public && !op.path.includes("{") && !noPathIds[op.key]) {
        problems.push(`${op.key}: no ids in its path; add to noPathIds how another platform's key reaches the first platform's data (ids in the query or body, or own)`);
      }
    }
    const keys = new Set(operations.map((op) => op.key));
    for (const key of [...Object.keys(bodies), ...Object.keys(noPathIds), ...publicOperations]) {
      if (!keys.has(key)) problems.push(`${key}: not an operation of the document any more; remove it from this file's tables`);
    }
    expect(problems).toEqual([]);
  });

  it("answers a request without a key with a 401 problem", async () => {
    for (const op of operations.filter((o) => !o.public)) {
      expectProblem(`${op.key} without a key`, await send(op, fixture, undefined), 401);
    }
  });

  it("answers the public operations without a key", async () => {
    for (const op of operations.filter((o) => o.public)) {
      expect.soft((await send(op, fixture, undefined)).status, `${op.key} without a key`).toBe(200);
    }
  });

  it("answers another platform's key with 404 for the first platform's ids, and shows it only its own data", async () => {
    for (const op of operations.filter((o) => !o.public)) {
      const res = await send(op, fixture, fixture.b.apiKey);
      const label = `${op.key} with another platform's key`;
      const noIds = noPathIdCase(op);
      if (noIds && "own" in noIds) {
        expect.soft(res.status, `${label}: ${res.text.slice(0, 300)}`).toBeLessThan(300);
        for (const id of idsOf(fixture)) expect.soft(res.text.includes(id), `${label} names the first platform's ${id}`).toBe(false);
      } else {
        expectProblem(label, res, 404);
      }
    }
  });

  // The control, last: the same requests with the first platform's key are answered, so the
  // answers above are about the key and the ids. Deletions run last of all: they remove the
  // fixture's webhook endpoint and API key.
  it("(control) answers the same requests for the first platform's own key", async () => {
    const ordered = [...operations.filter((o) => o.method !== "DELETE"), ...operations.filter((o) => o.method === "DELETE")];
    for (const op of ordered.filter((o) => !o.public && !("own" in (noPathIdCase(o) ?? {})))) {
      const res = await send(op, fixture, fixture.a.apiKey);
      expect.soft(res.status, `${op.key} with the first platform's key: ${res.text.slice(0, 300)}`).toBeLessThan(300);
    }
  });
});
