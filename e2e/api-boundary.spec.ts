import { OVERSIZED_BYTES, sendOversized } from "@/test/oversized-body";
import { expect, test } from "./fixtures/test";

/**
 * Issue 10, items 3 and 6c, on the production server (server/main.ts), where the routes
 * outside /api/v1 (Stripe webhook, sign-in, next-auth, portal JSON) are served by Next.js's
 * own handler rather than the router the integration tests use: body limits refuse a
 * 20 MB body with a 413 problem without reading it all, and every API answer (404, 405,
 * methods no route file can export) is application/problem+json. HTTP only, no browser.
 */

const KiB = 1024;
const PROBLEM = "application/problem+json";

test.describe("body limits under Next.js", () => {
  const routes: { method: string; path: string; limit: number; chunked: boolean[] }[] = [
    { method: "POST", path: "/api/stripe/webhook", limit: 512 * KiB, chunked: [false, true] },
    { method: "POST", path: "/api/sign-in/confirm", limit: 8 * KiB, chunked: [false, true] },
    { method: "POST", path: "/api/auth/signin/email", limit: 8 * KiB, chunked: [false, true] },
    { method: "POST", path: "/api/auth/callback/email", limit: 8 * KiB, chunked: [false, true] },
    // Next.js passes no body to a GET handler: a declared one is refused, a chunked one ignored.
    { method: "GET", path: "/api/auth/csrf", limit: 8 * KiB, chunked: [false] },
    { method: "GET", path: "/api/sign-in?token=x", limit: 8 * KiB, chunked: [false] },
    // Without a session a chunked body is a 401 before it is read; a declared one a 413 first.
    { method: "POST", path: "/api/portal/top-ups", limit: 16 * KiB, chunked: [false] },
    { method: "POST", path: "/api/v1/customers", limit: 1024 * KiB, chunked: [false, true] },
  ];

  for (const route of routes) {
    for (const chunked of route.chunked) {
      test(`${route.method} ${route.path}, ${chunked ? "chunked" : "Content-Length"}: 413`, async ({ baseURL }) => {
        const res = await sendOversized(baseURL!, { method: route.method, path: route.path, chunked });
        expect(res.status, res.body.slice(0, 300)).toBe(413);
        expect(res.headers["content-type"]).toBe(PROBLEM);
        expect(res.headers.connection).toBe("close");
        expect(JSON.parse(res.body)).toMatchObject({ status: 413, max_bytes: route.limit });
        expect(res.written).toBeLessThan(OVERSIZED_BYTES);
        expect(res.ms).toBeLessThan(5_000);
      });
    }
  }

  test("a chunked body to the portal without a session is refused unread", async ({ baseURL }) => {
    const res = await sendOversized(baseURL!, { path: "/api/portal/top-ups", chunked: true });
    expect(res.status).toBe(401);
    expect(res.headers["content-type"]).toBe(PROBLEM);
    expect(res.written).toBeLessThan(OVERSIZED_BYTES);
  });
});

test.describe("every API answer is problem+json", () => {
  const cases: { method: string; path: string; status: number; allow?: string }[] = [
    { method: "GET", path: "/api/portal/nope", status: 404 },
    { method: "DELETE", path: "/api/portal/nope/deeper", status: 404 },
    { method: "PROPFIND", path: "/api/portal/nope", status: 404 },
    { method: "POST", path: "/api/portal/overview", status: 405, allow: "GET" },
    { method: "PROPFIND", path: "/api/portal/overview", status: 405, allow: "GET, HEAD, OPTIONS" },
    { method: "GET", path: "/api/stripe/webhook", status: 405, allow: "POST" },
    { method: "PROPFIND", path: "/api/stripe/webhook", status: 405, allow: "POST, OPTIONS" },
    { method: "GET", path: "/api/sign-in/confirm", status: 405, allow: "POST" },
    { method: "DELETE", path: "/api/sign-in", status: 405, allow: "GET" },
    { method: "GET", path: "/api/auth/nope", status: 404 },
    { method: "PUT", path: "/api/auth/session", status: 405, allow: "GET, POST" },
    { method: "GET", path: "/api/nope", status: 404 },
    { method: "PROPFIND", path: "/api/v1/customers", status: 405, allow: "GET, POST, HEAD, OPTIONS" },
    { method: "DELETE", path: "/api/v1/customers", status: 405, allow: "GET, POST, HEAD, OPTIONS" },
  ];

  for (const c of cases) {
    test(`${c.status} ${c.method} ${c.path}`, async ({ request }) => {
      const res = await request.fetch(c.path, { method: c.method, maxRedirects: 0 });
      expect(res.status(), await res.text()).toBe(c.status);
      expect(res.headers()["content-type"]).toBe(PROBLEM);
      expect(await res.json()).toMatchObject({ status: c.status });
      if (c.allow) expect(res.headers()["allow"]).toBe(c.allow);
    });
  }

  test("OPTIONS lists what a path serves", async ({ request }) => {
    for (const [path, allow] of [
      ["/api/stripe/webhook", "POST, OPTIONS"],
      ["/api/portal/top-ups", "GET, POST, HEAD, OPTIONS"],
    ] as const) {
      const res = await request.fetch(path, { method: "OPTIONS" });
      expect(res.status(), path).toBe(204);
      expect(res.headers()["allow"], path).toBe(allow);
    }
  });
});
