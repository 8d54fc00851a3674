import { testOperation } from "@/test/test-operation";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { closeDb } from "@/lib/db";
import { BusyError, ConflictError, InsufficientFundsError, NotFoundError, ValidationError } from "@/lib/errors";
import { createTestPlatform, type TestPlatform } from "@/test/factories";
import { GET as unknownPathGet } from "@/app/api/v1/[...unknown]/route";
import { listResponse, paginationQuery } from "./pagination";
import { PROBLEM_CONTENT_TYPE } from "./problem";
import { setApiRateLimit } from "./rate-limit";
import { apiRoute } from "./route";
import { idSchema, positiveAmountSchema } from "./schemas/common";

const URL_BASE = "http://localhost/api/v1";

let platform: TestPlatform;
beforeAll(async () => {
  platform = await createTestPlatform("Route wrapper tests");
});
afterAll(closeDb);
afterEach(() => setApiRateLimit(undefined));

const createThing = apiRoute(testOperation({
    body: z.object({ name: z.string().max(10), amount: positiveAmountSchema, tags: z.array(z.string()).optional() }),
    status: 201,
    maxBodyBytes: 200,
  }),
  ({ auth, body, requestId }) => ({
    platform_id: auth.platformId,
    live_mode: auth.liveMode,
    name: body.name,
    amount: body.amount.toFixed(),
    request_id: requestId,
  }),
);

const listThings = apiRoute(testOperation({ query: paginationQuery }), ({ query }) => listResponse([{ n: 1 }], 1, query));

const getThing = apiRoute(testOperation({ params: z.object({ id: idSchema("thg") }) }), ({ params }) => ({ id: params.id }));

function bearer(key = platform.apiKey): Record<string, string> {
  return { Authorization: `Bearer ${key}` };
}

function post(body: string, headers: Record<string, string> = {}): Request {
  return new Request(`${URL_BASE}/things`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...bearer(), ...headers },
    body,
  });
}

async function problemOf(response: Response) {
  expect(response.headers.get("content-type")).toBe(PROBLEM_CONTENT_TYPE);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body.status).toBe(response.status);
  expect(body.request_id).toBe(response.headers.get("x-request-id"));
  expect(body.type).toMatch(/^https:\/\/drawdown\.dev\/problems\/[a-z_]+$/);
  return body as { type: string; title: string; detail: string; errors?: { field: string; message: string }[] } & Record<string, unknown>;
}

describe("authentication", () => {
  it("answers 401 with WWW-Authenticate when no key is sent", async () => {
    const res = await listThings(new Request(`${URL_BASE}/things`));
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect((await problemOf(res)).type).toBe("https://drawdown.dev/problems/unauthorized");
  });

  it("answers 401 for an unknown or malformed key", async () => {
    for (const key of ["dd_test_" + "x".repeat(40), "nonsense", "x".repeat(5000)]) {
      const res = await listThings(new Request(`${URL_BASE}/things`, { headers: bearer(key) }));
      expect(res.status).toBe(401);
      await problemOf(res);
    }
  });

  it("accepts Authorization: Bearer and resolves the platform", async () => {
    const res = await createThing(post(JSON.stringify({ name: "a", amount: 1 })));
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({ platform_id: platform.platformId, live_mode: false, amount: "1" });
  });

  it("accepts X-API-Key", async () => {
    const res = await listThings(new Request(`${URL_BASE}/things`, { headers: { "X-API-Key": platform.apiKey } }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ items: [{ n: 1 }], total_count: 1, limit: 20, offset: 0 });
  });

  it("accepts Credyt's X-CREDYT-API-KEY in any letter case", async () => {
    for (const name of ["X-CREDYT-API-KEY", "X-Credyt-Api-Key", "x-credyt-api-key"]) {
      const res = await listThings(new Request(`${URL_BASE}/things`, { headers: { [name]: platform.apiKey } }));
      expect(res.status).toBe(200);
    }
  });

  it("accepts the same key in several headers and refuses different ones", async () => {
    const same = await listThings(
      new Request(`${URL_BASE}/things`, { headers: { ...bearer(platform.apiKey), "X-CREDYT-API-KEY": platform.apiKey } }),
    );
    expect(same.status).toBe(200);

    const other = await createTestPlatform("Another tenant");
    const mixed = await listThings(
      new Request(`${URL_BASE}/things`, { headers: { ...bearer(platform.apiKey), "X-CREDYT-API-KEY": other.apiKey } }),
    );
    expect(mixed.status).toBe(401);
    expect((await problemOf(mixed)).detail).toMatch(/more than one API key/);
  });

  it("never accepts a key in the query string", async () => {
    for (const name of ["api_key", "key", "token"]) {
      const res = await listThings(new Request(`${URL_BASE}/things?${name}=${platform.apiKey}`));
      expect(res.status).toBe(401);
      expect((await problemOf(res)).detail).toMatch(/query string/);
    }
  });
});

describe("request body", () => {
  it("answers 400 for malformed JSON", async () => {
    const res = await createThing(post('{"name": "a",'));
    expect(res.status).toBe(400);
    expect((await problemOf(res)).type).toBe("https://drawdown.dev/problems/malformed_request");
  });

  it("answers 400 for an empty body", async () => {
    const res = await createThing(post(""));
    expect(res.status).toBe(400);
    await problemOf(res);
  });

  it("answers 413 when the actual bytes exceed the limit", async () => {
    const res = await createThing(post(JSON.stringify({ name: "a", amount: 1, tags: ["x".repeat(300)] })));
    expect(res.status).toBe(413);
    expect(await problemOf(res)).toMatchObject({ max_bytes: 200 });
  });

  it("answers 413 from Content-Length before reading", async () => {
    const res = await createThing(post(JSON.stringify({ name: "a", amount: 1 }), { "Content-Length": "1000000" }));
    expect(res.status).toBe(413);
    await problemOf(res);
  });

  it("answers 415 for a non-JSON content type, accepts charset and a missing header", async () => {
    const form = await createThing(post("name=a", { "Content-Type": "application/x-www-form-urlencoded" }));
    expect(form.status).toBe(415);
    await problemOf(form);

    const charset = await createThing(post('{"name":"a","amount":"2.50"}', { "Content-Type": "application/json; charset=utf-8" }));
    expect(charset.status).toBe(201);
    expect((await charset.json()).amount).toBe("2.5");

    const bare = new Request(`${URL_BASE}/things`, { method: "POST", headers: bearer(), body: '{"name":"a","amount":3}' });
    bare.headers.delete("content-type"); // a string body defaults to text/plain; curl users send none
    const missing = await createThing(bare);
    expect(missing.status).toBe(201);
  });

  it("answers 422 with one error per field, paths joined with /", async () => {
    const res = await createThing(post(JSON.stringify({ name: "far too long a name", amount: -1, tags: ["ok", 5] })));
    expect(res.status).toBe(422);
    const problem = await problemOf(res);
    expect(problem.type).toBe("https://drawdown.dev/problems/validation_error");
    const fields = problem.errors!.map((e) => e.field).sort();
    expect(fields).toEqual(["amount", "name", "tags/1"]);
    expect(problem.errors!.every((e) => e.message.length > 0)).toBe(true);
  });
});

describe("query and params", () => {
  it("answers 422 for a bad query value", async () => {
    const res = await listThings(new Request(`${URL_BASE}/things?limit=abc&offset=-1`, { headers: bearer() }));
    expect(res.status).toBe(422);
    const fields = (await problemOf(res)).errors!.map((e) => e.field).sort();
    expect(fields).toEqual(["limit", "offset"]);
  });

  it("coerces valid query values", async () => {
    const res = await listThings(new Request(`${URL_BASE}/things?limit=5&offset=10`, { headers: bearer() }));
    expect(await res.json()).toMatchObject({ limit: 5, offset: 10 });
  });

  it("reads Next's params promise and answers 404 for an id that cannot exist", async () => {
    const ok = await getThing(new Request(`${URL_BASE}/things/thg_abc`, { headers: bearer() }), {
      params: Promise.resolve({ id: "thg_abc" }),
    });
    expect(await ok.json()).toEqual({ id: "thg_abc" });
    const bad = await getThing(new Request(`${URL_BASE}/things/cust_abc`, { headers: bearer() }), {
      params: Promise.resolve({ id: "cust_abc" }),
    });
    expect(bad.status).toBe(404);
    await problemOf(bad);
  });

  it("authenticates before looking at params", async () => {
    const res = await getThing(new Request(`${URL_BASE}/things/nope`), { params: Promise.resolve({ id: "nope" }) });
    expect(res.status).toBe(401);
  });
});

describe("errors from handlers", () => {
  const throwing = (error: unknown) => apiRoute(testOperation(), () => { throw error; });
  const get = () => new Request(`${URL_BASE}/x`, { headers: bearer() });

  it("maps DomainError subclasses to their status, code, errors and extra", async () => {
    const notFound = await throwing(new NotFoundError("No such customer."))(get());
    expect(notFound.status).toBe(404);
    expect(await problemOf(notFound)).toMatchObject({ type: "https://drawdown.dev/problems/not_found", detail: "No such customer." });

    const conflict = await throwing(new ConflictError("transaction_id reused with a different body", [], { transaction_id: "t1" }))(get());
    expect(conflict.status).toBe(409);
    expect(await problemOf(conflict)).toMatchObject({ title: "Conflict", transaction_id: "t1" });

    const invalid = await throwing(new ValidationError("Bad amount", [{ field: "amount", message: "Too many decimals for USD" }]))(get());
    expect(invalid.status).toBe(422);
    expect((await problemOf(invalid)).errors).toEqual([{ field: "amount", message: "Too many decimals for USD" }]);

    const funds = await throwing(new InsufficientFundsError("Not enough", [], { status: 999, available: 1 }))(get());
    expect(funds.status).toBe(422);
    // extra may add fields but never replace the standard ones
    expect(await problemOf(funds)).toMatchObject({ type: "https://drawdown.dev/problems/insufficient_funds", status: 422, available: 1 });

    const busy = await throwing(new BusyError("busy"))(get());
    expect(busy.status).toBe(503);
    expect(busy.headers.get("retry-after")).toBe("1");
  });

  it("answers 500 without internals and logs the error with the request id", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const res = await throwing(new Error('relation "secret_table" does not exist'))(get());
      expect(res.status).toBe(500);
      const text = await res.clone().text();
      expect(text).not.toMatch(/secret_table|Error|stack/);
      const problem = await problemOf(res);
      expect(problem.type).toBe("https://drawdown.dev/problems/internal_error");
      expect(log).toHaveBeenCalledWith(expect.stringContaining(problem.request_id as string), expect.any(Error));
    } finally {
      log.mockRestore();
    }
  });

  it("passes a handler's Response through, adding the request id", async () => {
    const res = await apiRoute(testOperation(), () => new Response(null, { status: 204 }))(get());
    expect(res.status).toBe(204);
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
    const redirect = await apiRoute(testOperation(), () => Response.redirect("http://localhost/pay", 303))(get());
    expect(redirect.status).toBe(303);
    expect(redirect.headers.get("x-request-id")).toMatch(/^req_/);
  });
});

describe("rate limit", () => {
  it("answers 429 with Retry-After once a key is over its limit, per key", async () => {
    setApiRateLimit(2, 60);
    const other = await createTestPlatform("Other platform");
    const request = (key: string) => new Request(`${URL_BASE}/things`, { headers: bearer(key) });
    expect((await listThings(request(platform.apiKey))).status).toBe(200);
    expect((await listThings(request(platform.apiKey))).status).toBe(200);
    const limited = await listThings(request(platform.apiKey));
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await problemOf(limited)).type).toBe("https://drawdown.dev/problems/rate_limited");
    // another key has its own budget
    expect((await listThings(request(other.apiKey))).status).toBe(200);
  });
});

describe("request ids", () => {
  it("puts a fresh X-Request-Id on every response", async () => {
    const a = await listThings(new Request(`${URL_BASE}/things`, { headers: bearer() }));
    const b = await listThings(new Request(`${URL_BASE}/things`));
    const idA = a.headers.get("x-request-id");
    const idB = b.headers.get("x-request-id");
    expect(idA).toMatch(/^req_[0-9a-z]{26}$/);
    expect(idB).toMatch(/^req_[0-9a-z]{26}$/);
    expect(idA).not.toBe(idB);
  });
});

describe("unknown API paths", () => {
  it("answer a JSON 404 problem", async () => {
    const res = await unknownPathGet(new Request(`${URL_BASE}/nope`), { params: Promise.resolve({ unknown: ["nope"] }) });
    expect(res.status).toBe(404);
    expect((await problemOf(res)).type).toBe("https://drawdown.dev/problems/not_found");
  });
});
