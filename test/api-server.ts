import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { createApiRouter } from "@/server/api-router";

/**
 * Serves the app's `/api/**` route handlers over real HTTP for integration tests, without
 * a Next.js build, with the router the production server uses for `/api/v1`
 * (server/api-router.ts): routes matched like the App Router, handlers called with a web
 * Request and `{ params: Promise }`. Clients use plain `fetch`, so request parsing,
 * headers and status codes are exercised end to end. That includes the routes outside
 * /api/v1 (portal JSON, sign-in, next-auth, the Stripe webhook) up to where they need
 * Next.js's request scope (`cookies()`): their body limits, 404s and 405s are tested
 * here, their behaviour under Next.js's own handler by e2e/api-boundary.spec.ts. Pages and
 * the production build are covered by the Playwright suite.
 */

export interface TestApiServer {
  url: string;
  close(): Promise<void>;
}

export async function startTestApiServer(): Promise<TestApiServer> {
  const router = await createApiRouter(path.join(process.cwd(), "app"), "/api/");
  const server = http.createServer((req, res) => void router.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

/** A small client for tests: JSON in, `{ status, body, headers }` out. */
export function apiClient(baseUrl: string, apiKey: string) {
  return async function api(method: string, pathname: string, body?: unknown, init: { headers?: Record<string, string>; raw?: string } = {}) {
    const response = await fetch(`${baseUrl}/api/v1${pathname}`, {
      method,
      headers: {
        authorization: `Bearer ${apiKey}`,
        ...(body !== undefined || init.raw !== undefined ? { "content-type": "application/json" } : {}),
        ...init.headers,
      },
      body: init.raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const text = await response.text();
    let json: any = undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    return { status: response.status, body: json, headers: response.headers };
  };
}
