import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/lib/db";
import { apiClient, startTestApiServer, type TestApiServer } from "@/test/api-server";
import { createTestPlatform, type TestPlatform } from "@/test/factories";
import { OVERSIZED_BYTES, sendOversized } from "@/test/oversized-body";

/**
 * Issue 10, items 3 and 6c, through real HTTP (test/api-server.ts serves all of app/api
 * with the production router): every API route has a body limit and refuses a larger body
 * with a 413 problem without reading it all; every API answer, 404s and 405s of any path
 * and method included, is application/problem+json. Item 6b (lone surrogates) is in
 * test/malformed-input.int.test.ts. What only Next.js's own handler shows (the routes
 * outside /api/v1 in production) is in e2e/api-boundary.spec.ts.
 */

const KiB = 1024;
const MiB = 1024 * KiB;
const PROBLEM = "application/problem+json";

let server: TestApiServer;
let platform: TestPlatform;

beforeAll(async () => {
  [server, platform] = await Promise.all([startTestApiServer(), createTestPlatform("API boundary")]);
});
afterAll(async () => {
  await server.close();
  await closeDb();
});

describe("a 20 MB body answers 413 problem+json at once, read no further than the limit", () => {
  const routes: { method: string; path: string; limit: number; auth?: boolean }[] = [
    // unauthenticated
    { method: "POST", path: "/api/stripe/webhook", limit: 512 * KiB },
    { method: "POST", path: "/api/sign-in/confirm", limit: 8 * KiB },
    { method: "GET", path: "/api/sign-in?token=x", limit: 8 * KiB },
    { method: "POST", path: "/api/auth/signin/email", limit: 8 * KiB },
    { method: "POST", path: "/api/auth/signout", limit: 8 * KiB },
    { method: "GET", path: "/api/auth/csrf", limit: 8 * KiB },
    // portal (session-authenticated): refused before the session is looked up
    { method: "POST", path: "/api/portal/top-ups", limit: 16 * KiB },
    { method: "GET", path: "/api/portal/overview", limit: 16 * KiB },
    { method: "PUT", path: "/api/portal/auto-top-ups/default:USD", limit: 16 * KiB },
    // /api/v1, with a key: a route with a body schema, /events, and routes that take no body
    { method: "POST", path: "/api/v1/customers", limit: MiB, auth: true },
    { method: "POST", path: "/api/v1/events", limit: 5 * MiB, auth: true },
    { method: "GET", path: "/api/v1/customers", limit: MiB, auth: true },
    { method: "DELETE", path: "/api/v1/webhooks/we_doesnotexist0000000000000", limit: MiB, auth: true },
    { method: "GET", path: "/api/v1/openapi.json", limit: MiB },
    { method: "POST", path: "/api/v1/customers", limit: MiB },
  ];

  for (const route of routes) {
    for (const chunked of [false, true]) {
      const label = `${route.method} ${route.path}${route.auth ? "" : " (no key)"}, ${chunked ? "chunked" : "Content-Length"}`;
      it(label, async () => {
        const res = await sendOversized(server.url, {
          method: route.method,
          path: route.path,
          chunked,
          headers: route.auth ? { authorization: `Bearer ${platform.apiKey}` } : {},
        });
        expect(res.status, res.body.slice(0, 300)).toBe(413);
        expect(res.headers["content-type"]).toBe(PROBLEM);
        expect(JSON.parse(res.body)).toMatchObject({ status: 413, type: "https://drawdown.dev/problems/payload_too_large", max_bytes: route.limit });
        // The server stopped reading: the client could not hand it the whole body.
        expect(res.written).toBeLessThan(OVERSIZED_BYTES);
        expect(res.ms).toBeLessThan(5_000);
        // …and ends the connection after the answer, leaving the rest unread.
        expect(res.headers.connection).toBe("close");
      });
    }
  }

  it("still serves a body within the limit on a route that takes none (it is ignored)", async () => {
    const api = apiClient(server.url, platform.apiKey);
    const res = await api("DELETE", "/webhooks/we_doesnotexist0000000000000", { ignored: true });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe(PROBLEM);
  });
});

describe("every API answer is problem+json, 404 and 405 with Allow included", () => {
  const cases: { method: string; path: string; status: 404 | 405; allow?: string }[] = [
    // /api/v1: a method no route file can export, one the file refuses, an unknown path
    { method: "PROPFIND", path: "/api/v1/customers", status: 405, allow: "GET, POST, HEAD, OPTIONS" },
    { method: "DELETE", path: "/api/v1/customers", status: 405, allow: "GET, POST, HEAD, OPTIONS" },
    { method: "PROPFIND", path: "/api/v1/nope", status: 404 },
    // the portal's JSON routes
    { method: "GET", path: "/api/portal/nope", status: 404 },
    { method: "POST", path: "/api/portal/nope/deeper", status: 404 },
    { method: "PROPFIND", path: "/api/portal/nope", status: 404 },
    { method: "POST", path: "/api/portal/overview", status: 405, allow: "GET" },
    { method: "DELETE", path: "/api/portal/top-ups", status: 405, allow: "GET, POST" },
    { method: "PATCH", path: "/api/portal/top-ups/top_x", status: 405, allow: "GET" },
    { method: "PUT", path: "/api/portal/cards", status: 405, allow: "GET, POST" },
    { method: "GET", path: "/api/portal/cards/pm_x", status: 405, allow: "DELETE" },
    { method: "DELETE", path: "/api/portal/cards/pm_x/default", status: 405, allow: "POST" },
    { method: "POST", path: "/api/portal/auto-top-ups", status: 405, allow: "GET" },
    { method: "GET", path: "/api/portal/auto-top-ups/default:USD", status: 405, allow: "PUT" },
    { method: "PROPFIND", path: "/api/portal/overview", status: 405, allow: "GET, HEAD, OPTIONS" },
    // the Stripe webhook and sign-in
    { method: "GET", path: "/api/stripe/webhook", status: 405, allow: "POST" },
    { method: "PROPFIND", path: "/api/stripe/webhook", status: 405, allow: "POST, OPTIONS" },
    { method: "GET", path: "/api/sign-in/confirm", status: 405, allow: "POST" },
    { method: "POST", path: "/api/sign-in", status: 405, allow: "GET" },
    { method: "GET", path: "/api/sign-in/nope", status: 404 },
    // next-auth: unknown actions, and known ones with the wrong method
    { method: "GET", path: "/api/auth/nope", status: 404 },
    { method: "GET", path: "/api/auth/_log", status: 405, allow: "POST" },
    { method: "POST", path: "/api/auth/csrf", status: 405, allow: "GET" },
    { method: "PUT", path: "/api/auth/session", status: 405, allow: "GET, POST" },
    { method: "PROPFIND", path: "/api/auth/session", status: 405, allow: "GET, POST, HEAD, OPTIONS" },
    // no route file at all
    { method: "DELETE", path: "/api/nope", status: 404 },
  ];

  it.each(cases.map((c) => [`${c.status} ${c.method} ${c.path}`, c] as const))("%s", async (_label, c) => {
    const res = await fetch(`${server.url}${c.path}`, { method: c.method, redirect: "manual" });
    const text = await res.text();
    expect(res.status, text.slice(0, 300)).toBe(c.status);
    expect(res.headers.get("content-type")).toBe(PROBLEM);
    expect(JSON.parse(text)).toMatchObject({ status: c.status, request_id: res.headers.get("x-request-id") });
    if (c.status === 405) expect(res.headers.get("allow")).toBe(c.allow);
  });

  it("answers OPTIONS with the methods a path serves, not its 405 exports", async () => {
    for (const [path, allow] of [
      ["/api/stripe/webhook", "POST, OPTIONS"],
      ["/api/portal/top-ups", "GET, POST, HEAD, OPTIONS"],
      ["/api/auth/session", "GET, POST, HEAD, OPTIONS"],
      ["/api/v1/events", "GET, POST, HEAD, OPTIONS"],
    ] as const) {
      const res = await fetch(`${server.url}${path}`, { method: "OPTIONS" });
      expect(res.status, path).toBe(204);
      expect(res.headers.get("allow"), path).toBe(allow);
    }
    const unknown = await fetch(`${server.url}/api/portal/nope`, { method: "OPTIONS" });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toBe(PROBLEM);
  });
});

describe("well-formed UTF-16 is untouched by the lone-surrogate check", () => {
  it("stores a name and metadata key made of surrogate pairs (emoji, astral CJK)", async () => {
    const api = apiClient(server.url, platform.apiKey);
    const created = await api("POST", "/customers", { name: "Walter \u{1F600}", metadata: { "\u{20000}": "\u{1F680}" } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const got = await api("GET", `/customers/${created.body.id}`);
    expect(got.body).toMatchObject({ name: "Walter \u{1F600}", metadata: { "\u{20000}": "\u{1F680}" } });
  });
});

describe("strings a URL carries cannot hold a lone surrogate", () => {
  // Percent-encoding is UTF-8, and UTF-8 has no form for U+D800–U+DFFF: the bytes of one
  // (ED A0 80) decode to U+FFFD in a query string and fail to decode in a path segment.
  it("answers a path segment or query value encoding one without a 500", async () => {
    const api = apiClient(server.url, platform.apiKey);
    const byId = await api("GET", "/customers/%ED%A0%80");
    expect(byId.status).toBe(404);
    expect(byId.headers.get("content-type")).toBe(PROBLEM);
    const listed = await api("GET", "/customers?external_id=%ED%A0%80");
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([]);
  });
});
