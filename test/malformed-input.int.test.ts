import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient, startTestApiServer, type TestApiServer } from "@/test/api-server";
import { snapshotPlatforms, type DbSnapshot } from "@/test/db-snapshot";
import { createTestPlatform, type TestPlatform } from "@/test/factories";
import { productExample, seedAdjustment, seedTopUp } from "@/test/seed";

/**
 * Issue 3, item 9: bad input gets a clear error and nothing is written (PRODUCT.md "HTTP
 * API": RFC 9457 problem details, 400 malformed, 401 bad key, 404 not found, 409
 * idempotency conflict, 413 over the body limit, 415 not JSON, 422 validation; never a
 * 500 for bad input, never a partial write).
 *
 * Every row is one malformed request, sent over real HTTP. For each, the test asserts the
 * status, the problem-details shape (and, for validation errors, that `errors[]` names
 * exactly the offending fields), and that the database is unchanged: row counts and
 * content checksums of every table the two test platforms have rows in, and each balance.
 */

const MiB = 1024 * 1024;
const DEFAULT_LIMIT = MiB;
const EVENTS_LIMIT = 5 * MiB;
const PROBLEM_BASE = "https://drawdown.dev/problems/";

interface Fixture {
  platform: TestPlatform;
  other: TestPlatform;
  /** Platform A's customer: subscribed to `chat`, 100 USD in default:USD, external_id `externalId`. */
  customerId: string;
  externalId: string;
  /** transaction_id of the adjustment that funded `customerId`. */
  fundingTransactionId: string;
  /** Platform A's published product `chat` (PRODUCT.md's example) and a product whose v1 is a draft. */
  productId: string;
  draftProductId: string;
  /** Platform B's customer, product, custom asset and a stored usage event. */
  otherCustomerId: string;
  otherProductId: string;
  otherAssetCode: string;
  otherEventId: string;
}

type Auth = "key" | "none" | "bad" | "basic";
type Build<T> = (f: Fixture) => T;

interface Row {
  name: string;
  method: "GET" | "POST" | "PATCH";
  path: Build<string>;
  /** Sent as JSON. */
  body?: Build<unknown>;
  /** Sent as these exact bytes (malformed JSON, huge bodies). */
  raw?: Build<string | Uint8Array<ArrayBuffer>>;
  headers?: Record<string, string>;
  auth?: Auth;
  status: number;
  /** The problem `type` suffix. */
  type: string;
  /** Validation errors: the fields `errors[]` must name (a reported field may go deeper, "events/0/data/model"). */
  fields?: string[];
  /** 413: the limit the problem reports. */
  maxBytes?: number;
}

// ------------------------------------------------------------------ valid bodies to break

const PAST = "2024-07-29T15:51:28.071Z";

function adjustment(patch: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...seedAdjustment, transaction_id: `malformed-${Math.random().toString(36).slice(2)}`, ...patch };
}

function without<T extends Record<string, unknown>>(value: T, ...keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([k]) => !keys.includes(k)));
}

function usageEvent(patch: Record<string, unknown> = {}, i = 0): Record<string, unknown> {
  return {
    id: `malformed-evt-${i}`,
    event_type: "message_completed",
    occurred_at: PAST,
    subject: "chat_5f53d23a4958",
    data: { model: "gpt-4-1", input_tokens: 2353 },
    ...patch,
  };
}

function events(f: Fixture, ...list: Record<string, unknown>[]): Record<string, unknown> {
  return { customer_id: f.customerId, events: list.length ? list : [usageEvent()] };
}

function manyEvents(n: number, make: (i: number) => Record<string, unknown> = (i) => usageEvent({}, i)) {
  return Array.from({ length: n }, (_, i) => make(i));
}

function asset(patch: Record<string, unknown> = {}): Record<string, unknown> {
  return { code: "GEMS", name: "Gems", precision: 0, rates: [{ source: "USD", rate: 0.1 }], ...patch };
}

function unitPrice(patch: Record<string, unknown> = {}, row: Record<string, unknown> = { unit_price: 0.01 }) {
  return {
    name: "Requests",
    type: "usage_based",
    billing_model: { type: "real_time" },
    usage_calculation: { event_type: "api_call", usage_type: "unit" },
    pricing: [{ asset: "USD", values: [row] }],
    ...patch,
  };
}

function product(patch: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: "Search", code: "search-malformed", publish: true, prices: [unitPrice()], ...patch };
}

/** The seed's top-up without its USD→USD exchange_rate of 1000000 (a 422 by PRODUCT.md). */
function topUp(f: Fixture, patch: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...seedTopUp(f.customerId), destination: { account_name: "default", asset: "USD" }, ...patch };
}

function portalSession(f: Fixture, patch: Record<string, unknown> = {}): Record<string, unknown> {
  return { customer_id: f.customerId, return_url: "https://glitch.ai/account", ...patch };
}

/** `{"a":{"a":…1…}}`, `depth` levels: valid JSON far deeper than any real usage payload. */
function deepObject(depth: number): string {
  return '{"a":'.repeat(depth) + "1" + "}".repeat(depth);
}

/** A JSON body of exactly `bytes` bytes: `{"name":"xxx…"}`. */
function bodyOfSize(bytes: number, field = "name"): string {
  const overhead = JSON.stringify({ [field]: "" }).length;
  return JSON.stringify({ [field]: "x".repeat(bytes - overhead) });
}

const invalid = (fields: string[]) => ({ status: 422, type: "validation_error", fields });
const notFound = { status: 404, type: "not_found" } as const;
const unauthorized = { status: 401, type: "unauthorized" } as const;
const malformed = { status: 400, type: "malformed_request" } as const;
const conflict = { status: 409, type: "conflict" } as const;
const notJson = { status: 415, type: "unsupported_media_type" } as const;
const tooLarge = (maxBytes: number) => ({ status: 413, type: "payload_too_large", maxBytes });

const adjustmentsOf = (f: Fixture) => `/customers/${f.customerId}/wallet/adjustments`;
const usdAccount = (f: Fixture) => `/customers/${f.customerId}/wallet/default:USD`;
const ADJUSTMENT_1E400 = `{"transaction_id":"malformed-1e400","asset":"USD","amount":1e400,"reason":"external_topup"}`;

// ------------------------------------------------------------------ the table

const rows: Row[] = [
  // ---- 401: no key, bad key, key where keys are not read
  { name: "no API key", method: "GET", path: () => "/customers", auth: "none", ...unauthorized },
  { name: "unknown API key", method: "POST", path: () => "/customers", auth: "bad", body: () => ({ name: "X" }), ...unauthorized },
  { name: "Basic instead of Bearer", method: "GET", path: (f) => `/customers/${f.customerId}/wallet`, auth: "basic", ...unauthorized },
  { name: "API key in the query string", method: "POST", path: (f) => `/events?api_key=${f.platform.apiKey}`, auth: "none", body: (f) => events(f), ...unauthorized },
  { name: "valid adjustment without a key", method: "POST", path: adjustmentsOf, auth: "none", body: () => adjustment(), ...unauthorized },

  // ---- 400: bodies that are not JSON
  { name: "truncated JSON", method: "POST", path: () => "/customers", raw: () => '{"name": "a",', ...malformed },
  { name: "empty body where one is required", method: "POST", path: () => "/customers", raw: () => "", ...malformed },
  { name: "whitespace-only body", method: "POST", path: () => "/products", raw: () => " \n\t ", ...malformed },
  { name: "invalid UTF-8", method: "POST", path: adjustmentsOf, raw: () => new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), ...malformed },
  { name: "trailing garbage after JSON", method: "POST", path: () => "/events", raw: (f) => `${JSON.stringify(events(f))} trailing`, ...malformed },
  { name: "single-quoted JSON", method: "POST", path: () => "/assets", raw: () => "{'code': 'GEMS'}", ...malformed },
  { name: "NaN literal", method: "PATCH", path: usdAccount, raw: () => '{"overdraft_limit": NaN}', ...malformed },

  // ---- 415: declared non-JSON content types
  { name: "text/plain", method: "POST", path: () => "/customers", body: () => ({ name: "X" }), headers: { "content-type": "text/plain" }, ...notJson },
  { name: "form encoding on /events", method: "POST", path: () => "/events", raw: (f) => `customer_id=${f.customerId}`, headers: { "content-type": "application/x-www-form-urlencoded" }, ...notJson },
  { name: "multipart on adjustments", method: "POST", path: adjustmentsOf, body: () => adjustment(), headers: { "content-type": "multipart/form-data; boundary=x" }, ...notJson },

  // ---- 413: bodies over the documented limits (1 MiB; 5 MiB for /events)
  { name: "customer body 1 MiB + 1 byte", method: "POST", path: () => "/customers", raw: () => bodyOfSize(DEFAULT_LIMIT + 1), ...tooLarge(DEFAULT_LIMIT) },
  { name: "account PATCH over 1 MiB", method: "PATCH", path: usdAccount, raw: () => bodyOfSize(DEFAULT_LIMIT + 1000, "overdraft_limit"), ...tooLarge(DEFAULT_LIMIT) },
  { name: "adjustment over 1 MiB", method: "POST", path: adjustmentsOf, body: () => adjustment({ description: "x".repeat(DEFAULT_LIMIT) }), ...tooLarge(DEFAULT_LIMIT) },
  {
    name: "events body over 5 MiB",
    method: "POST",
    path: () => "/events",
    body: (f) => events(f, ...manyEvents(1000, (i) => usageEvent({ data: { pad: "x".repeat(5500) } }, i))),
    ...tooLarge(EVENTS_LIMIT),
  },
  {
    name: "events body of 1.6 MiB is under its limit: the bad field answers, not the size",
    method: "POST",
    path: () => "/events",
    body: (f) => events(f, ...manyEvents(1000, (i) => usageEvent(i === 999 ? { occurred_at: "2024-02-30T00:00:00Z" } : { data: { pad: "x".repeat(1600) } }, i))),
    ...invalid(["events/999/occurred_at"]),
  },

  // ---- 404: unknown ids, other platforms' ids, ids that cannot exist
  { name: "unknown customer", method: "GET", path: () => "/customers/cust_doesnotexist0000000000000", ...notFound },
  { name: "another platform's customer", method: "GET", path: (f) => `/customers/${f.otherCustomerId}`, ...notFound },
  { name: "customer id of the wrong shape", method: "GET", path: () => "/customers/cust_..%2F..%2Fetc", ...notFound },
  { name: "another platform's wallet", method: "GET", path: (f) => `/customers/${f.otherCustomerId}/wallet`, ...notFound },
  { name: "account that does not exist", method: "GET", path: (f) => `/customers/${f.customerId}/wallet/default:EUR`, ...notFound },
  { name: "account id without an asset", method: "GET", path: (f) => `/customers/${f.customerId}/wallet/nocolon`, ...notFound },
  { name: "PATCH an account in an unknown asset", method: "PATCH", path: (f) => `/customers/${f.customerId}/wallet/default:NOPE`, body: () => ({ overdraft_limit: 10 }), ...notFound },
  { name: "PATCH an account in another platform's asset", method: "PATCH", path: (f) => `/customers/${f.customerId}/wallet/default:${f.otherAssetCode}`, body: () => ({ overdraft_limit: 10 }), ...notFound },
  { name: "account name with a space", method: "PATCH", path: (f) => `/customers/${f.customerId}/wallet/has%20space:USD`, body: () => ({ overdraft_limit: 10 }), ...notFound },
  { name: "account name with a colon", method: "PATCH", path: (f) => `/customers/${f.customerId}/wallet/default:default:USD`, body: () => ({ overdraft_limit: 10 }), ...notFound },
  { name: "account name over 64 characters", method: "PATCH", path: (f) => `/customers/${f.customerId}/wallet/${"a".repeat(65)}:USD`, body: () => ({ overdraft_limit: 10 }), ...notFound },
  { name: "account name with a null byte", method: "PATCH", path: (f) => `/customers/${f.customerId}/wallet/de%00fault:USD`, body: () => ({ overdraft_limit: 10 }), ...notFound },
  { name: "PATCH another platform's account", method: "PATCH", path: (f) => `/customers/${f.otherCustomerId}/wallet/default:USD`, body: () => ({ overdraft_limit: 10 }), ...notFound },
  { name: "valid adjustment for another platform's customer", method: "POST", path: (f) => `/customers/${f.otherCustomerId}/wallet/adjustments`, body: () => adjustment(), ...notFound },
  { name: "valid adjustment for an unknown customer", method: "POST", path: () => "/customers/cust_doesnotexist0000000000000/wallet/adjustments", body: () => adjustment(), ...notFound },
  { name: "another platform's credit grants", method: "GET", path: (f) => `/customers/${f.otherCustomerId}/wallet/credit-grants`, ...notFound },
  { name: "unknown customer's transactions", method: "GET", path: () => "/customers/cust_doesnotexist0000000000000/wallet/transactions", ...notFound },
  { name: "valid events for another platform's customer", method: "POST", path: () => "/events", body: (f) => ({ ...events(f), customer_id: f.otherCustomerId }), ...notFound },
  { name: "events listed for another platform's customer", method: "GET", path: (f) => `/events?customer_id=${f.otherCustomerId}`, ...notFound },
  { name: "unknown event", method: "GET", path: () => "/events/no-such-event", ...notFound },
  { name: "another platform's event", method: "GET", path: (f) => `/events/${f.otherEventId}`, ...notFound },
  { name: "unknown asset", method: "GET", path: () => "/assets/NOPE", ...notFound },
  { name: "another platform's asset", method: "GET", path: (f) => `/assets/${f.otherAssetCode}`, ...notFound },
  { name: "quote for another platform's asset", method: "POST", path: (f) => `/assets/${f.otherAssetCode}/quote`, body: () => ({ source: "USD", amount: 10 }), ...notFound },
  { name: "unknown product", method: "GET", path: () => "/products/prp_doesnotexist0000000000000", ...notFound },
  { name: "new version of another platform's product", method: "POST", path: (f) => `/products/${f.otherProductId}`, body: () => ({ prices: [unitPrice()] }), ...notFound },
  { name: "PATCH a version that does not exist", method: "PATCH", path: (f) => `/products/${f.productId}/99`, body: () => ({ publish: true }), ...notFound },
  { name: "PATCH version 0", method: "PATCH", path: (f) => `/products/${f.productId}/0`, body: () => ({ publish: true }), ...notFound },
  { name: "simulate usage on another platform's product", method: "POST", path: (f) => `/products/${f.otherProductId}/1/simulate-usage`, body: () => ({ events: [{ event_type: "api_call" }] }), ...notFound },
  { name: "unknown endpoint", method: "POST", path: () => "/charges", body: () => ({ amount: 1 }), ...notFound },

  // ---- 409: idempotency and uniqueness conflicts
  { name: "adjustment transaction_id reused with another amount", method: "POST", path: adjustmentsOf, body: (f) => adjustment({ transaction_id: f.fundingTransactionId, amount: 99 }), ...conflict },
  { name: "customer external_id already used", method: "POST", path: () => "/customers", body: (f) => ({ name: "Again", external_id: f.externalId }), ...conflict },
  { name: "asset code already used", method: "POST", path: () => "/assets", body: () => asset({ code: "CREDIT" }), ...conflict },
  { name: "asset code of a built-in currency", method: "POST", path: () => "/assets", body: () => asset({ code: "USD" }), ...conflict },
  { name: "product code already used", method: "POST", path: () => "/products", body: () => product({ code: "chat" }), ...conflict },
  { name: "making a draft version the default", method: "PATCH", path: (f) => `/products/${f.draftProductId}/1`, body: () => ({ is_default: true }), ...conflict },

  // ---- 422 customers
  { name: "customer: array instead of an object", method: "POST", path: () => "/customers", body: () => [{ name: "X" }], ...invalid([""]) },
  { name: "customer: name over 200 characters", method: "POST", path: () => "/customers", body: () => ({ name: "x".repeat(201) }), ...invalid(["name"]) },
  { name: "customer: email that is not one", method: "POST", path: () => "/customers", body: () => ({ email: "not-an-email" }), ...invalid(["email"]) },
  { name: "customer: external_id as a number", method: "POST", path: () => "/customers", body: () => ({ external_id: 18991 }), ...invalid(["external_id"]) },
  { name: "customer: external_id over 255 characters", method: "POST", path: () => "/customers", body: () => ({ external_id: "x".repeat(256) }), ...invalid(["external_id"]) },
  { name: "customer: nested metadata", method: "POST", path: () => "/customers", body: () => ({ metadata: { a: { b: 1 } } }), ...invalid(["metadata/a"]) },
  { name: "customer: 51 metadata keys", method: "POST", path: () => "/customers", body: () => ({ metadata: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])) }), ...invalid(["metadata"]) },
  { name: "customer: subscription to an unknown product", method: "POST", path: () => "/customers", body: () => ({ name: "X", subscriptions: [{ products: [{ code: "nope" }] }] }), ...invalid(["subscriptions/0/products/0"]) },
  { name: "customer: subscription to another platform's product", method: "POST", path: () => "/customers", body: (f) => ({ name: "X", subscriptions: [{ products: [{ id: f.otherProductId }] }] }), ...invalid(["subscriptions/0/products/0"]) },
  { name: "customer: subscription to a draft", method: "POST", path: () => "/customers", body: (f) => ({ name: "X", subscriptions: [{ products: [{ id: f.draftProductId, version: 1 }] }] }), ...invalid(["subscriptions/0/products/0"]) },
  { name: "customer: null byte in name", method: "POST", path: () => "/customers", body: () => ({ name: "Wal\u0000ter" }), ...invalid(["name"]) },
  { name: "customer: null byte in a metadata value", method: "POST", path: () => "/customers", body: () => ({ name: "X", metadata: { note: "a\u0000b" } }), ...invalid(["metadata/note"]) },
  { name: "customers list: limit 0", method: "GET", path: () => "/customers?limit=0", ...invalid(["limit"]) },
  { name: "customers list: offset past any integer", method: "GET", path: () => "/customers?offset=99999999999999999999", ...invalid(["offset"]) },
  { name: "customers list: null byte in external_id", method: "GET", path: () => "/customers?external_id=%00", ...invalid(["external_id"]) },
  { name: "customers list: null byte in email", method: "GET", path: () => "/customers?email=a%00b", ...invalid(["email"]) },

  // ---- 422 adjustments
  { name: "adjustment: array instead of an object", method: "POST", path: adjustmentsOf, body: () => [adjustment()], ...invalid([""]) },
  { name: "adjustment: negative amount for external_topup", method: "POST", path: adjustmentsOf, body: () => adjustment({ amount: -25 }), ...invalid(["amount"]) },
  { name: "adjustment: zero amount", method: "POST", path: adjustmentsOf, body: () => adjustment({ amount: 0 }), ...invalid(["amount"]) },
  { name: "adjustment: amount 1e400 (Infinity once parsed)", method: "POST", path: adjustmentsOf, raw: () => ADJUSTMENT_1E400, ...invalid(["amount"]) },
  { name: 'adjustment: amount "Infinity"', method: "POST", path: adjustmentsOf, body: () => adjustment({ amount: "Infinity" }), ...invalid(["amount"]) },
  { name: 'adjustment: amount "NaN"', method: "POST", path: adjustmentsOf, body: () => adjustment({ amount: "NaN" }), ...invalid(["amount"]) },
  { name: "adjustment: amount as a word", method: "POST", path: adjustmentsOf, body: () => adjustment({ amount: "twenty" }), ...invalid(["amount"]) },
  { name: "adjustment: amount as a boolean", method: "POST", path: adjustmentsOf, body: () => adjustment({ amount: true }), ...invalid(["amount"]) },
  { name: "adjustment: amount over 26 integer digits", method: "POST", path: adjustmentsOf, body: () => adjustment({ amount: "1e30" }), ...invalid(["amount"]) },
  { name: "adjustment: 10.005 USD", method: "POST", path: adjustmentsOf, body: () => adjustment({ amount: 10.005 }), ...invalid(["amount"]) },
  { name: "adjustment: 13 decimal places", method: "POST", path: adjustmentsOf, body: () => adjustment({ amount: "0.0000000000001" }), ...invalid(["amount"]) },
  { name: "adjustment: 1.5 of a precision-0 asset", method: "POST", path: adjustmentsOf, body: () => adjustment({ asset: "CREDIT", amount: 1.5 }), ...invalid(["amount"]) },
  { name: "adjustment: unknown asset", method: "POST", path: adjustmentsOf, body: () => adjustment({ asset: "ZZZ" }), ...invalid(["asset"]) },
  { name: "adjustment: another platform's asset", method: "POST", path: adjustmentsOf, body: (f) => adjustment({ asset: f.otherAssetCode }), ...invalid(["asset"]) },
  { name: "adjustment: lower-case asset", method: "POST", path: adjustmentsOf, body: () => adjustment({ asset: "usd" }), ...invalid(["asset"]) },
  { name: "adjustment: expires_at 2024-02-30", method: "POST", path: adjustmentsOf, body: () => adjustment({ expires_at: "2024-02-30T00:00:00Z" }), ...invalid(["expires_at"]) },
  { name: 'adjustment: expires_at "yesterday"', method: "POST", path: adjustmentsOf, body: () => adjustment({ expires_at: "yesterday" }), ...invalid(["expires_at"]) },
  { name: "adjustment: expires_at without a time zone", method: "POST", path: adjustmentsOf, body: () => adjustment({ expires_at: "2030-01-01T00:00:00" }), ...invalid(["expires_at"]) },
  { name: "adjustment: unknown reason", method: "POST", path: adjustmentsOf, body: () => adjustment({ reason: "bonus" }), ...invalid(["reason"]) },
  { name: "adjustment: missing transaction_id", method: "POST", path: adjustmentsOf, body: () => without(adjustment(), "transaction_id"), ...invalid(["transaction_id"]) },
  { name: "adjustment: missing amount, asset and reason", method: "POST", path: adjustmentsOf, body: () => without(adjustment(), "amount", "asset", "reason"), ...invalid(["amount", "asset", "reason"]) },
  { name: "adjustment: transaction_id over 200 characters", method: "POST", path: adjustmentsOf, body: () => adjustment({ transaction_id: "t".repeat(201) }), ...invalid(["transaction_id"]) },
  { name: "adjustment: description over 1000 characters", method: "POST", path: adjustmentsOf, body: () => adjustment({ description: "d".repeat(1001) }), ...invalid(["description"]) },
  { name: "adjustment: account_name with a colon", method: "POST", path: adjustmentsOf, body: () => adjustment({ account_name: "default:USD" }), ...invalid(["account_name"]) },
  { name: "adjustment: purpose on a debit", method: "POST", path: adjustmentsOf, body: () => adjustment({ amount: -1, reason: "correction", purpose: "promotion" }), ...invalid(["purpose"]) },
  { name: "adjustment: metadata value over 500 characters", method: "POST", path: adjustmentsOf, body: () => adjustment({ metadata: { psp: "s".repeat(501) } }), ...invalid(["metadata/psp"]) },
  { name: "adjustment: null byte in transaction_id", method: "POST", path: adjustmentsOf, body: () => adjustment({ transaction_id: "tx\u0000" }), ...invalid(["transaction_id"]) },
  { name: "adjustment: null byte in description", method: "POST", path: adjustmentsOf, body: () => adjustment({ description: "Ad-hoc\u0000usage" }), ...invalid(["description"]) },
  { name: "adjustment: debit past the overdraft limit", method: "POST", path: adjustmentsOf, body: () => adjustment({ amount: -1000, reason: "charge" }), status: 422, type: "insufficient_funds" },

  // ---- 422 account PATCH
  { name: "account: negative overdraft_limit", method: "PATCH", path: usdAccount, body: () => ({ overdraft_limit: -5 }), ...invalid(["overdraft_limit"]) },
  { name: "account: overdraft_limit 0.001 USD", method: "PATCH", path: usdAccount, body: () => ({ overdraft_limit: 0.001 }), ...invalid(["overdraft_limit"]) },
  { name: 'account: overdraft_limit "1e400"', method: "PATCH", path: usdAccount, body: () => ({ overdraft_limit: "1e400" }), ...invalid(["overdraft_limit"]) },
  { name: "account: overdraft_limit true", method: "PATCH", path: usdAccount, body: () => ({ overdraft_limit: true }), ...invalid(["overdraft_limit"]) },
  { name: "account: empty object", method: "PATCH", path: usdAccount, body: () => ({}), ...invalid(["overdraft_limit"]) },

  // ---- 422 credit grants and transactions
  { name: "credit grants: limit 101", method: "GET", path: (f) => `/customers/${f.customerId}/wallet/credit-grants?limit=101`, ...invalid(["limit"]) },
  { name: "credit grants: offset past any integer", method: "GET", path: (f) => `/customers/${f.customerId}/wallet/credit-grants?offset=99999999999999999999`, ...invalid(["offset"]) },
  { name: "transactions: limit abc", method: "GET", path: (f) => `/customers/${f.customerId}/wallet/transactions?limit=abc`, ...invalid(["limit"]) },
  { name: "transactions: offset -1", method: "GET", path: (f) => `/customers/${f.customerId}/wallet/transactions?offset=-1`, ...invalid(["offset"]) },
  { name: "transactions: limit given twice", method: "GET", path: (f) => `/customers/${f.customerId}/wallet/transactions?limit=1&limit=2`, ...invalid(["limit"]) },

  // ---- 422 events
  { name: "events: 1,001 events", method: "POST", path: () => "/events", body: (f) => events(f, ...manyEvents(1001)), ...invalid(["events"]) },
  { name: "events: empty list", method: "POST", path: () => "/events", body: (f) => ({ customer_id: f.customerId, events: [] }), ...invalid(["events"]) },
  { name: "events: an object where the list goes", method: "POST", path: () => "/events", body: (f) => ({ customer_id: f.customerId, events: usageEvent() }), ...invalid(["events"]) },
  { name: "events: a null event", method: "POST", path: () => "/events", body: (f) => ({ customer_id: f.customerId, events: [usageEvent(), null] }), ...invalid(["events/1"]) },
  { name: "events: missing customer_id", method: "POST", path: () => "/events", body: (f) => without(events(f), "customer_id"), ...invalid(["customer_id"]) },
  { name: "events: customer_id of the wrong kind", method: "POST", path: () => "/events", body: (f) => ({ ...events(f), customer_id: "top_473cr1y0ghbyc3m1yfbwvn3nxx" }), ...invalid(["customer_id"]) },
  { name: "events: occurred_at 2024-02-30", method: "POST", path: () => "/events", body: (f) => events(f, usageEvent({ occurred_at: "2024-02-30T00:00:00Z" })), ...invalid(["events/0/occurred_at"]) },
  { name: 'events: occurred_at "yesterday"', method: "POST", path: () => "/events", body: (f) => events(f, usageEvent({ occurred_at: "yesterday" })), ...invalid(["events/0/occurred_at"]) },
  { name: "events: occurred_at as epoch seconds", method: "POST", path: () => "/events", body: (f) => events(f, usageEvent({ occurred_at: 1722268288 })), ...invalid(["events/0/occurred_at"]) },
  { name: "events: missing id and event_type", method: "POST", path: () => "/events", body: (f) => events(f, without(usageEvent(), "id", "event_type")), ...invalid(["events/0/id", "events/0/event_type"]) },
  { name: "events: empty event_type", method: "POST", path: () => "/events", body: (f) => events(f, usageEvent({ event_type: "" })), ...invalid(["events/0/event_type"]) },
  { name: "events: id over 200 characters", method: "POST", path: () => "/events", body: (f) => events(f, usageEvent({ id: "e".repeat(201) })), ...invalid(["events/0/id"]) },
  { name: "events: subject over 500 characters", method: "POST", path: () => "/events", body: (f) => events(f, usageEvent({ subject: "s".repeat(501) })), ...invalid(["events/0/subject"]) },
  { name: "events: data as an array", method: "POST", path: () => "/events", body: (f) => events(f, usageEvent({ data: [2353] })), ...invalid(["events/0/data"]) },
  { name: "events: data over 16 KiB", method: "POST", path: () => "/events", body: (f) => events(f, usageEvent({ data: { pad: "x".repeat(17 * 1024) } })), ...invalid(["events/0/data"]) },
  {
    name: "events: data nested 100,000 levels deep",
    method: "POST",
    path: () => "/events",
    raw: (f) => `{"customer_id":"${f.customerId}","events":[{"id":"deep","event_type":"message_completed","occurred_at":"${PAST}","data":${deepObject(100_000)}}]}`,
    ...invalid(["events/0/data"]),
  },
  { name: "events: one bad event among valid ones", method: "POST", path: () => "/events", body: (f) => events(f, usageEvent({}, 0), usageEvent({ occurred_at: "soon" }, 1), usageEvent({}, 2)), ...invalid(["events/1/occurred_at"]) },
  { name: "events: null byte in id", method: "POST", path: () => "/events", body: (f) => events(f, usageEvent({ id: "evt\u0000" })), ...invalid(["events/0/id"]) },
  { name: "events: null byte in description", method: "POST", path: () => "/events", body: (f) => events(f, usageEvent({ description: "done\u0000" })), ...invalid(["events/0/description"]) },
  { name: "events: null byte in a data value", method: "POST", path: () => "/events", body: (f) => events(f, usageEvent({ data: { model: "gpt\u0000", input_tokens: 1 } })), ...invalid(["events/0/data"]) },
  // ---- 422 lone UTF-16 surrogates (issue 10, item 6b): valid JSON escapes PostgreSQL cannot store
  { name: "customer: lone surrogate in name, sent as the escape", method: "POST", path: () => "/customers", raw: () => '{"name":"Wal\\ud800ter"}', ...invalid(["name"]) },
  { name: "customer: lone low surrogate in a metadata value", method: "POST", path: () => "/customers", body: () => ({ name: "X", metadata: { note: "a\udc00" } }), ...invalid(["metadata/note"]) },
  { name: "customer: lone surrogate in a metadata key", method: "POST", path: () => "/customers", body: () => ({ name: "X", metadata: { "k\ud800": "v" } }), ...invalid(["metadata/k\ud800"]) },
  {
    name: "events: lone surrogate in one event's data, in a batch with good events",
    method: "POST",
    path: () => "/events",
    body: (f) => events(f, usageEvent({}, 0), usageEvent({}, 1), usageEvent({}, 2), usageEvent({ data: { x: "\ud800", input_tokens: 1 } }, 3), usageEvent({}, 4)),
    ...invalid(["events/3/data/x"]),
  },
  { name: "events: lone surrogate in a data key", method: "POST", path: () => "/events", body: (f) => events(f, usageEvent({ data: { "\udfff": 1 } })), ...invalid(["events/0/data/\udfff"]) },
  { name: "events: surrogates in the wrong order in subject", method: "POST", path: () => "/events", body: (f) => events(f, usageEvent({ subject: "\udc00\ud800" })), ...invalid(["events/0/subject"]) },
  { name: "adjustment: lone surrogate in description", method: "POST", path: adjustmentsOf, body: () => adjustment({ description: "Ad-hoc \ud83d" }), ...invalid(["description"]) },
  { name: "product: lone surrogate in name", method: "POST", path: () => "/products", body: () => product({ name: "Search \ude00" }), ...invalid(["name"]) },
  { name: "top-up: lone surrogate in description", method: "POST", path: () => "/top-ups", body: (f) => topUp(f, { description: "\ud800" }), ...invalid(["description"]) },
  { name: "events list: unknown status", method: "GET", path: () => "/events?status=paid", ...invalid(["status"]) },
  { name: "events list: null byte in event_type", method: "GET", path: () => "/events?event_type=api%00call", ...invalid(["event_type"]) },
  { name: "events list: customer_id of the wrong kind", method: "GET", path: () => "/events?customer_id=bogus", ...invalid(["customer_id"]) },
  { name: "event: null byte in the id", method: "GET", path: () => "/events/evt%00", ...notFound },

  // ---- 422 assets and quotes
  { name: "asset: fractional precision", method: "POST", path: () => "/assets", body: () => asset({ precision: 1.5 }), ...invalid(["precision"]) },
  { name: "asset: precision 13", method: "POST", path: () => "/assets", body: () => asset({ precision: 13 }), ...invalid(["precision"]) },
  { name: "asset: lower-case code", method: "POST", path: () => "/assets", body: () => asset({ code: "gems" }), ...invalid(["code"]) },
  { name: "asset: missing name", method: "POST", path: () => "/assets", body: () => without(asset(), "name"), ...invalid(["name"]) },
  { name: "asset: name over 200 characters", method: "POST", path: () => "/assets", body: () => asset({ name: "n".repeat(201) }), ...invalid(["name"]) },
  { name: "asset: unknown field", method: "POST", path: () => "/assets", body: () => asset({ decimals: 2 }), ...invalid(["decimals"]) },
  { name: "asset: rate from a non-fiat source", method: "POST", path: () => "/assets", body: () => asset({ rates: [{ source: "CREDIT", rate: 1 }] }), ...invalid(["rates/0/source"]) },
  { name: "asset: negative rate", method: "POST", path: () => "/assets", body: () => asset({ rates: [{ source: "USD", rate: -0.1 }] }), ...invalid(["rates/0/rate"]) },
  { name: "asset: two rates from one source", method: "POST", path: () => "/assets", body: () => asset({ rates: [{ source: "USD", rate: 0.1 }, { source: "USD", rate: 0.2 }] }), ...invalid(["rates/1/source"]) },
  { name: "asset: rates as an object", method: "POST", path: () => "/assets", body: () => asset({ rates: { source: "USD", rate: 0.1 } }), ...invalid(["rates"]) },
  { name: "asset: null byte in name", method: "POST", path: () => "/assets", body: () => asset({ name: "Ge\u0000ms" }), ...invalid(["name"]) },
  { name: "quote: both amount and units", method: "POST", path: () => "/assets/CREDIT/quote", body: () => ({ source: "USD", amount: 10, units: 1000 }), ...invalid(["amount"]) },
  { name: "quote: neither amount nor units", method: "POST", path: () => "/assets/CREDIT/quote", body: () => ({ source: "USD" }), ...invalid(["amount"]) },
  { name: "quote: source without a rate", method: "POST", path: () => "/assets/CREDIT/quote", body: () => ({ source: "EUR", amount: 10 }), ...invalid(["source"]) },
  { name: "quote: 10.005 USD", method: "POST", path: () => "/assets/CREDIT/quote", body: () => ({ source: "USD", amount: 10.005 }), ...invalid(["amount"]) },
  { name: "quote: 1.5 units of a precision-0 asset", method: "POST", path: () => "/assets/CREDIT/quote", body: () => ({ source: "USD", units: 1.5 }), ...invalid(["units"]) },
  { name: "quote: negative amount", method: "POST", path: () => "/assets/CREDIT/quote", body: () => ({ source: "USD", amount: -10 }), ...invalid(["amount"]) },

  // ---- 422 products and versions
  { name: "product: no prices", method: "POST", path: () => "/products", body: () => product({ prices: [] }), ...invalid(["prices"]) },
  { name: "product: prices as an object", method: "POST", path: () => "/products", body: () => product({ prices: unitPrice() }), ...invalid(["prices"]) },
  { name: "product: code with spaces", method: "POST", path: () => "/products", body: () => product({ code: "my product" }), ...invalid(["code"]) },
  { name: "product: name over 200 characters", method: "POST", path: () => "/products", body: () => product({ name: "n".repeat(201) }), ...invalid(["name"]) },
  { name: "product: price in an unknown asset", method: "POST", path: () => "/products", body: () => product({ prices: [unitPrice({ pricing: [{ asset: "ZZZ", values: [{ unit_price: 1 }] }] })] }), ...invalid(["prices/0/pricing/0/asset"]) },
  { name: "product: price type tiered", method: "POST", path: () => "/products", body: () => product({ prices: [unitPrice({ type: "tiered" })] }), ...invalid(["prices/0/type"]) },
  { name: "product: volume price without volume_field", method: "POST", path: () => "/products", body: () => product({ prices: [unitPrice({ usage_calculation: { event_type: "api_call", usage_type: "volume" } }, { volume_rate: 1 })] }), ...invalid(["prices/0/usage_calculation/volume_field"]) },
  { name: "product: negative unit_price", method: "POST", path: () => "/products", body: () => product({ prices: [unitPrice({}, { unit_price: -1 })] }), ...invalid(["prices/0/pricing/0/values/0/unit_price"]) },
  { name: "product: unit_price 1e400", method: "POST", path: () => "/products", raw: () => JSON.stringify(product({ prices: [unitPrice({}, { unit_price: 0 })] })).replace('"unit_price":0', '"unit_price":1e400'), ...invalid(["prices/0/pricing/0/values/0/unit_price"]) },
  { name: "product: misspelt volume_rates", method: "POST", path: () => "/products", body: () => product({ prices: [unitPrice({}, { unit_price: 1, volume_rates: 2 })] }), ...invalid(["prices/0/pricing/0/values/0/volume_rates"]) },
  { name: "product: two prices with one name", method: "POST", path: () => "/products", body: () => product({ prices: [unitPrice(), unitPrice()] }), ...invalid(["prices/1/name"]) },
  { name: "product: dimension that is not billable", method: "POST", path: () => "/products", body: () => product({ prices: [unitPrice({}, { unit_price: 1, dimensions: { model: "gpt-4-1" } })] }), ...invalid(["prices/0/pricing/0/values/0/dimensions/model"]) },
  { name: "product: null byte in name", method: "POST", path: () => "/products", body: () => product({ name: "Sea\u0000rch" }), ...invalid(["name"]) },
  { name: "product: null byte in an event_type", method: "POST", path: () => "/products", body: () => product({ prices: [unitPrice({ usage_calculation: { event_type: "api\u0000call", usage_type: "unit" } })] }), ...invalid(["prices/0/usage_calculation/event_type"]) },
  { name: "version: missing prices", method: "POST", path: (f) => `/products/${f.productId}`, body: () => ({ publish: true }), ...invalid(["prices"]) },
  { name: "version: default without publish", method: "POST", path: (f) => `/products/${f.productId}`, body: () => ({ prices: [unitPrice()], is_default: true }), ...invalid(["is_default"]) },
  { name: "version PATCH: empty object", method: "PATCH", path: (f) => `/products/${f.productId}/1`, body: () => ({}), ...invalid(["publish"]) },
  { name: "version PATCH: publish false", method: "PATCH", path: (f) => `/products/${f.draftProductId}/1`, body: () => ({ publish: false }), ...invalid(["publish"]) },
  { name: 'version PATCH: publish "yes"', method: "PATCH", path: (f) => `/products/${f.draftProductId}/1`, body: () => ({ publish: "yes", is_default: true }), ...invalid(["publish"]) },
  { name: "simulate: 1,001 events", method: "POST", path: (f) => `/products/${f.productId}/1/simulate-usage`, body: () => ({ events: manyEvents(1001, () => ({ event_type: "api_call" })) }), ...invalid(["events"]) },
  { name: "simulate: event without event_type", method: "POST", path: (f) => `/products/${f.productId}/1/simulate-usage`, body: () => ({ events: [{ data: {} }] }), ...invalid(["events/0/event_type"]) },
  { name: "simulate: missing events", method: "POST", path: (f) => `/products/${f.productId}/1/simulate-usage`, body: () => ({}), ...invalid(["events"]) },
  { name: "simulate: body over 5 MiB", method: "POST", path: (f) => `/products/${f.productId}/1/simulate-usage`, raw: () => bodyOfSize(5 * MiB + 1, "events"), ...tooLarge(5 * MiB) },

  // ---- top-ups (422s are all decided before Stripe is called)
  { name: "top-up without a key", method: "POST", path: () => "/top-ups", auth: "none", body: (f) => topUp(f), ...unauthorized },
  { name: "top-up for another platform's customer", method: "POST", path: () => "/top-ups", body: (f) => topUp(f, { customer_id: f.otherCustomerId }), ...notFound },
  { name: "top-up for an unknown customer", method: "POST", path: () => "/top-ups", body: (f) => topUp(f, { customer_id: "cust_doesnotexist0000000000000" }), ...notFound },
  { name: "unknown top-up", method: "GET", path: () => "/top-ups/top_doesnotexist0000000000000", ...notFound },
  { name: "top-up id of the wrong kind", method: "GET", path: (f) => `/top-ups/${f.customerId}`, ...notFound },
  { name: "top-up: form encoding", method: "POST", path: () => "/top-ups", raw: (f) => `customer_id=${f.customerId}&amount=50`, headers: { "content-type": "application/x-www-form-urlencoded" }, ...notJson },
  { name: "top-up: the seed's USD→USD exchange_rate 1000000", method: "POST", path: () => "/top-ups", body: (f) => seedTopUp(f.customerId), ...invalid(["destination/exchange_rate"]) },
  { name: "top-up: 10.005 USD", method: "POST", path: () => "/top-ups", body: (f) => topUp(f, { amount: 10.005 }), ...invalid(["amount"]) },
  { name: "top-up: negative amount", method: "POST", path: () => "/top-ups", body: (f) => topUp(f, { amount: -50 }), ...invalid(["amount"]) },
  { name: "top-up: amount 1e400", method: "POST", path: () => "/top-ups", raw: (f) => JSON.stringify(topUp(f)).replace('"amount":50', '"amount":1e400'), ...invalid(["amount"]) },
  { name: "top-up: lower-case currency", method: "POST", path: () => "/top-ups", body: (f) => topUp(f, { currency: "usd" }), ...invalid(["currency"]) },
  { name: "top-up: unsupported currency", method: "POST", path: () => "/top-ups", body: (f) => topUp(f, { currency: "XYZ" }), ...invalid(["currency"]) },
  { name: "top-up: unknown destination asset", method: "POST", path: () => "/top-ups", body: (f) => topUp(f, { destination: { asset: "ZZZ" } }), ...invalid(["destination/asset"]) },
  { name: "top-up: destination asset without a rate in the currency", method: "POST", path: () => "/top-ups", body: (f) => topUp(f, { currency: "EUR", destination: { asset: "CREDIT" } }), ...invalid(["destination/exchange_rate"]) },
  { name: "top-up: credit_expires_at 2024-02-30", method: "POST", path: () => "/top-ups", body: (f) => topUp(f, { credit_expires_at: "2024-02-30T00:00:00Z" }), ...invalid(["credit_expires_at"]) },
  { name: "top-up: javascript: return_url", method: "POST", path: () => "/top-ups", body: (f) => topUp(f, { return_url: "javascript:alert(1)" }), ...invalid(["return_url"]) },
  { name: "top-up: failure_url over 2000 characters", method: "POST", path: () => "/top-ups", body: (f) => topUp(f, { failure_url: `https://glitch.ai/${"x".repeat(2000)}` }), ...invalid(["failure_url"]) },
  { name: "top-up: missing customer_id and amount", method: "POST", path: () => "/top-ups", body: (f) => without(topUp(f), "customer_id", "amount"), ...invalid(["customer_id", "amount"]) },
  { name: "top-up: null byte in description", method: "POST", path: () => "/top-ups", body: (f) => topUp(f, { description: "Image\u0000credits" }), ...invalid(["description"]) },
  { name: "top-ups list: unknown status", method: "GET", path: () => "/top-ups?status=paid", ...invalid(["status"]) },

  // ---- billing-portal sessions
  { name: "portal session without a key", method: "POST", path: () => "/billing-portal/sessions", auth: "none", body: (f) => portalSession(f), ...unauthorized },
  { name: "portal session for another platform's customer", method: "POST", path: () => "/billing-portal/sessions", body: (f) => portalSession(f, { customer_id: f.otherCustomerId }), ...notFound },
  { name: "portal session for an unknown customer", method: "POST", path: () => "/billing-portal/sessions", body: (f) => portalSession(f, { customer_id: "cust_doesnotexist0000000000000" }), ...notFound },
  { name: "portal session: text/plain", method: "POST", path: () => "/billing-portal/sessions", body: (f) => portalSession(f), headers: { "content-type": "text/plain" }, ...notJson },
  { name: "portal session: truncated JSON", method: "POST", path: () => "/billing-portal/sessions", raw: (f) => JSON.stringify(portalSession(f)).slice(0, -2), ...malformed },
  { name: "portal session: array instead of an object", method: "POST", path: () => "/billing-portal/sessions", body: (f) => [portalSession(f)], ...invalid([""]) },
  { name: "portal session: missing customer_id", method: "POST", path: () => "/billing-portal/sessions", body: () => ({ return_url: "https://glitch.ai/account" }), ...invalid(["customer_id"]) },
  { name: "portal session: javascript: return_url", method: "POST", path: () => "/billing-portal/sessions", body: (f) => portalSession(f, { return_url: "javascript:alert(1)" }), ...invalid(["return_url"]) },
  { name: "portal session: failure_url that is not a URL", method: "POST", path: () => "/billing-portal/sessions", body: (f) => portalSession(f, { failure_url: "callbacks/failure" }), ...invalid(["failure_url"]) },
  { name: "portal session: return_url over 2048 characters", method: "POST", path: () => "/billing-portal/sessions", body: (f) => portalSession(f, { return_url: `https://glitch.ai/${"x".repeat(2048)}` }), ...invalid(["return_url"]) },
];

// ------------------------------------------------------------------ set-up

let server: TestApiServer;
let fixture: Fixture;

beforeAll(async () => {
  server = await startTestApiServer();
  const platform = await createTestPlatform("Malformed input");
  const other = await createTestPlatform("Malformed input, other platform");
  const api = apiClient(server.url, platform.apiKey);
  const otherApi = apiClient(server.url, other.apiKey);
  const created = async (res: Promise<{ status: number; body: { id?: string } }>, status = 201) => {
    const { status: got, body } = await res;
    expect(got, JSON.stringify(body)).toBe(status);
    return body;
  };

  await created(api("POST", "/assets", { code: "CREDIT", name: "Credits", precision: 0, rates: [{ source: "USD", rate: 0.01 }] }));
  const { id: productId } = await created(api("POST", "/products", productExample));
  const { id: draftProductId } = await created(api("POST", "/products", product({ code: "draft-product", publish: false })));
  const externalId = `malformed-${Date.now()}`;
  const { id: customerId } = await created(
    api("POST", "/customers", { name: "Walter", external_id: externalId, subscriptions: [{ products: [{ code: "chat" }] }] }),
  );
  const fundingTransactionId = "malformed-funding";
  await created(api("POST", `/customers/${customerId}/wallet/adjustments`, { ...seedAdjustment, transaction_id: fundingTransactionId, amount: 100 }));

  const otherAssetCode = "BONLY";
  await created(otherApi("POST", "/assets", asset({ code: otherAssetCode })));
  const { id: otherProductId } = await created(otherApi("POST", "/products", product({ code: "other-product" })));
  const { id: otherCustomerId } = await created(otherApi("POST", "/customers", { name: "Other" }));
  const otherEventId = `malformed-other-${Date.now()}`;
  const ingested = await otherApi("POST", "/events", { customer_id: otherCustomerId, events: [usageEvent({ id: otherEventId })] });
  expect(ingested.status).toBe(200);

  fixture = {
    platform,
    other,
    customerId: customerId!,
    externalId,
    fundingTransactionId,
    productId: productId!,
    draftProductId: draftProductId!,
    otherCustomerId: otherCustomerId!,
    otherProductId: otherProductId!,
    otherAssetCode,
    otherEventId,
  };
}, 120_000);

afterAll(() => server?.close());

// ------------------------------------------------------------------ sending and checking

function authHeaders(auth: Auth, f: Fixture): Record<string, string> {
  switch (auth) {
    case "key":
      return { authorization: `Bearer ${f.platform.apiKey}` };
    case "bad":
      return { authorization: `Bearer dd_test_${"x".repeat(40)}` };
    case "basic":
      return { authorization: `Basic ${Buffer.from(`${f.platform.apiKey}:`).toString("base64")}` };
    case "none":
      return {};
  }
}

async function send(row: Row, f: Fixture): Promise<{ status: number; headers: Headers; text: string }> {
  const payload = row.raw ? row.raw(f) : row.body ? JSON.stringify(row.body(f)) : undefined;
  const response = await fetch(`${server.url}/api/v1${row.path(f)}`, {
    method: row.method,
    headers: {
      ...authHeaders(row.auth ?? "key", f),
      ...(payload !== undefined ? { "content-type": "application/json" } : {}),
      ...row.headers,
    },
    body: payload,
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
  request_id?: string;
  max_bytes?: number;
}

/**
 * True when `reported` is `expected` or a field inside it ("events/0/data/model" is inside
 * "events/0/data"). "" is the body itself (a JSON pointer to the root), e.g. an array sent
 * where an object belongs.
 */
function names(expected: string, reported: string): boolean {
  return reported === expected || (expected !== "" && reported.startsWith(`${expected}/`));
}

function expectProblem(row: Row, res: { status: number; headers: Headers; text: string }): void {
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  const problem = JSON.parse(res.text) as Problem;
  expect(problem).toMatchObject({
    type: PROBLEM_BASE + row.type,
    title: expect.stringMatching(/\S/),
    status: row.status,
    detail: expect.stringMatching(/\S/),
  });
  expect(problem.request_id).toBe(res.headers.get("x-request-id"));
  if (row.status === 401) expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
  if (row.maxBytes !== undefined) expect(problem.max_bytes).toBe(row.maxBytes);
  if (row.fields) {
    expect(problem.errors, "errors[] lists the offending fields").toBeInstanceOf(Array);
    const errors = problem.errors!;
    for (const error of errors) {
      expect(error).toEqual({ field: expect.any(String), message: expect.stringMatching(/\S/) });
    }
    const reported = errors.map((e) => e.field);
    for (const field of row.fields) {
      expect(reported.some((r) => names(field, r)), `errors[] names "${field}": ${JSON.stringify(errors)}`).toBe(true);
    }
    for (const r of reported) {
      expect(row.fields.some((field) => names(field, r)), `errors[] names only the offending fields: ${JSON.stringify(errors)}`).toBe(true);
    }
  }
}

describe("malformed requests: a clear problem, nothing written", () => {
  it("has at least 60 rows, each with a unique name", () => {
    expect(rows.length).toBeGreaterThanOrEqual(60);
    expect(new Set(rows.map((r) => r.name)).size).toBe(rows.length);
  });

  it.each(rows.map((row) => [`${row.status} ${row.method} ${row.name}`, row] as const))("%s", async (label, row) => {
    const platforms = [fixture.platform.platformId, fixture.other.platformId];
    const before: DbSnapshot = await snapshotPlatforms(platforms);
    const res = await send(row, fixture);
    const after = await snapshotPlatforms(platforms);
    // Each row stands alone: bad input is never a 5xx, whatever else it answers.
    expect.soft(res.status, `${label} answered a 5xx: ${res.text.slice(0, 500)}`).toBeLessThan(500);
    // Soft: a wrong status still reports whether anything was written, and the body.
    expect.soft(res.status, `${label}: ${res.text.slice(0, 500)}`).toBe(row.status);
    expect.soft(after, "the database is unchanged").toEqual(before);
    expectProblem(row, res);
  });

  // The control: the snapshot does see a row added and a balance or limit changed in place.
  it("(control) sees the writes of valid requests", async () => {
    const platforms = [fixture.platform.platformId, fixture.other.platformId];
    const before = await snapshotPlatforms(platforms);
    const valid: Row = { name: "valid adjustment", method: "POST", path: adjustmentsOf, body: () => adjustment({ amount: 1 }), status: 201, type: "" };
    expect((await send(valid, fixture)).status).toBe(201);
    const credited = await snapshotPlatforms(platforms);
    expect(credited.counts.ledger_transactions).toBe(before.counts.ledger_transactions! + 1);
    expect(credited.balances).not.toEqual(before.balances);

    // A limit the account does not have now, whatever ran before.
    const current = await apiClient(server.url, fixture.platform.apiKey)("GET", usdAccount(fixture));
    const newLimit = Number(current.body.overdraft_limit) + 5;
    const limit: Row = { name: "valid limit", method: "PATCH", path: usdAccount, body: () => ({ overdraft_limit: newLimit }), status: 200, type: "" };
    expect((await send(limit, fixture)).status).toBe(200);
    const limited = await snapshotPlatforms(platforms);
    expect(limited.counts).toEqual(credited.counts);
    expect(limited.checksums.accounts).not.toBe(credited.checksums.accounts);
    expect(limited.balances).not.toEqual(credited.balances);
  });
});
