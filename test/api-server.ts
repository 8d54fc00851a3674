import { readdirSync, statSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

/**
 * Serves the app's `/api/**` route handlers over real HTTP for integration tests, without
 * a Next.js build: the file-system routes under app/api are matched like the App Router
 * does (static segments before `[param]`, `[...catchAll]` last) and the exported method
 * handler is called with a web Request and `{ params: Promise }`, as Next.js calls it.
 * Clients use plain `fetch`, so request parsing, headers and status codes are exercised
 * end to end. The production build itself is covered by the Playwright suite.
 */

type Segment = { kind: "static"; value: string } | { kind: "param"; name: string } | { kind: "catchAll"; name: string };

interface RouteFile {
  file: string;
  segments: Segment[];
}

const appDir = path.join(process.cwd(), "app");

function collectRoutes(dir: string, prefix: Segment[] = []): RouteFile[] {
  const out: RouteFile[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) {
      if (name.startsWith("(") && name.endsWith(")")) {
        out.push(...collectRoutes(full, prefix));
        continue;
      }
      const seg: Segment = name.startsWith("[...")
        ? { kind: "catchAll", name: name.slice(4, -1) }
        : name.startsWith("[")
          ? { kind: "param", name: name.slice(1, -1) }
          : { kind: "static", value: name };
      out.push(...collectRoutes(full, [...prefix, seg]));
    } else if (name === "route.ts") {
      out.push({ file: full, segments: prefix });
    }
  }
  return out;
}

function match(route: RouteFile, parts: string[]): Record<string, string | string[]> | null {
  const params: Record<string, string | string[]> = {};
  for (let i = 0; i < route.segments.length; i++) {
    const seg = route.segments[i]!;
    if (seg.kind === "catchAll") {
      if (i >= parts.length) return null;
      params[seg.name] = parts.slice(i);
      return params;
    }
    const part = parts[i];
    if (part === undefined) return null;
    if (seg.kind === "static" && seg.value !== part) return null;
    if (seg.kind === "param") params[seg.name] = part;
  }
  return route.segments.length === parts.length ? params : null;
}

/** App Router precedence: more static segments first, catch-alls last. */
function rank(route: RouteFile): number[] {
  return route.segments.map((s) => (s.kind === "static" ? 0 : s.kind === "param" ? 1 : 2));
}

function compareRoutes(a: RouteFile, b: RouteFile): number {
  const ra = rank(a);
  const rb = rank(b);
  for (let i = 0; i < Math.max(ra.length, rb.length); i++) {
    const x = ra[i] ?? -1;
    const y = rb[i] ?? -1;
    if (x !== y) return x - y;
  }
  return 0;
}

export interface TestApiServer {
  url: string;
  close(): Promise<void>;
}

export async function startTestApiServer(): Promise<TestApiServer> {
  const routes = collectRoutes(path.join(appDir, "api")).map((r) => ({
    ...r,
    segments: [{ kind: "static", value: "api" } as Segment, ...r.segments],
  }));
  routes.sort(compareRoutes);

  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
      const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
      let found: { route: RouteFile; params: Record<string, string | string[]> } | undefined;
      for (const route of routes) {
        const params = match(route, parts);
        if (params) {
          found = { route, params };
          break;
        }
      }
      if (!found) {
        res.writeHead(404).end();
        return;
      }
      const mod = (await import(found.route.file)) as Record<string, unknown>;
      const handler = mod[req.method ?? "GET"] as
        | ((r: Request, c: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>)
        | undefined;
      if (!handler) {
        res.writeHead(405).end();
        return;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = chunks.length ? Buffer.concat(chunks) : undefined;
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) {
        if (typeof v === "string") headers.set(k, v);
        else if (Array.isArray(v)) headers.set(k, v.join(", "));
      }
      const request = new Request(url, { method: req.method, headers, body: req.method === "GET" || req.method === "HEAD" ? undefined : body });
      const response = await handler(request, { params: Promise.resolve(found.params) });
      const out = Buffer.from(await response.arrayBuffer());
      const outHeaders: Record<string, string> = {};
      response.headers.forEach((v, k) => (outHeaders[k] = v));
      res.writeHead(response.status, outHeaders).end(out);
    } catch (error) {
      // A handler that throws past its wrapper is a bug the tests must see.
      res.writeHead(599, { "content-type": "text/plain" }).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
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
