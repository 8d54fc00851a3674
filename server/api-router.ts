import { readdirSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { internalErrorResponse, problems, renderProblem } from "@/lib/api/problem";
import { newRequestId } from "@/lib/api/request-id";

/**
 * Serves App Router route handlers (`app/api/.../route.ts`) straight from Node's HTTP
 * server, without Next.js's request pipeline. The production server (server/main.ts)
 * answers `/api/v1/*` with it, because Next.js's per-request work (routing, request
 * contexts, stream piping) cost more CPU than the whole usage-event charge (see
 * docs/benchmarks.md); the integration tests (test/api-server.ts) serve `app/api` with it.
 *
 * Same contract as Next.js for these files: routes are matched like the App Router does
 * (static segments before `[param]`, `[...catchAll]` last; `(group)` folders ignored),
 * the exported method handler gets a web `Request` and `{ params: Promise }` with decoded
 * segments, `HEAD` falls back to `GET` without a body, `OPTIONS` answers 204 with `Allow`,
 * a method the file does not export answers 405 with `Allow`, and a trailing slash or
 * repeated slashes redirect (308) to the clean path. Unlike Next.js 16, a path segment
 * that is not valid percent-encoding is passed on as sent (the route answers 404) instead
 * of failing with a 500. The handlers stay plain Next.js route handlers:
 * `next dev` serves the same files through Next.js.
 */

type Params = Record<string, string | string[]>;
type Handler = (request: Request, context: { params: Promise<Params> }) => Promise<Response> | Response;

type Segment = { kind: "static"; value: string } | { kind: "param"; name: string } | { kind: "catchAll"; name: string };

interface RouteFile {
  file: string;
  segments: Segment[];
}

interface Route extends RouteFile {
  handlers: Map<string, Handler>;
  allow: string;
}

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/**
 * Bodies are read into memory up to this size; a longer one is cut just past it (every
 * route's own limit is lower, so the route answers its 413) and the connection is closed
 * after the answer instead of reading the rest.
 */
const MAX_BUFFERED_BODY_BYTES = 8 * 1024 * 1024;

function collectRoutes(dir: string, prefix: Segment[]): RouteFile[] {
  const out: RouteFile[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const name = entry.name;
    if (entry.isDirectory()) {
      if (name.startsWith("(") && name.endsWith(")")) {
        out.push(...collectRoutes(full, prefix));
        continue;
      }
      const segment: Segment = name.startsWith("[...")
        ? { kind: "catchAll", name: name.slice(4, -1) }
        : name.startsWith("[")
          ? { kind: "param", name: name.slice(1, -1) }
          : { kind: "static", value: name };
      out.push(...collectRoutes(full, [...prefix, segment]));
    } else if (name === "route.ts") {
      out.push({ file: full, segments: prefix });
    }
  }
  return out;
}

/** App Router precedence: static segments before params, catch-alls last. */
function compareRoutes(a: RouteFile, b: RouteFile): number {
  const rank = (s: Segment | undefined) => (s === undefined ? -1 : s.kind === "static" ? 0 : s.kind === "param" ? 1 : 2);
  for (let i = 0; i < Math.max(a.segments.length, b.segments.length); i++) {
    const d = rank(a.segments[i]) - rank(b.segments[i]);
    if (d !== 0) return d;
  }
  return 0;
}

function match(route: RouteFile, parts: string[]): Params | null {
  const params: Params = {};
  for (let i = 0; i < route.segments.length; i++) {
    const segment = route.segments[i]!;
    if (segment.kind === "catchAll") {
      if (i >= parts.length) return null;
      params[segment.name] = parts.slice(i);
      return params;
    }
    const part = parts[i];
    if (part === undefined) return null;
    if (segment.kind === "static" && segment.value !== part) return null;
    if (segment.kind === "param") params[segment.name] = part;
  }
  return route.segments.length === parts.length ? params : null;
}

function decodeSegment(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    // Not valid percent-encoding: kept as sent (a route's params schema then refuses it).
    return part;
  }
}

export interface ApiRouter {
  /** The URL path prefix this router serves, e.g. `/api/v1/`. */
  prefix: string;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

/**
 * Loads every `route.ts` under `<appDir>/<prefix>` (imported now, so the first request
 * pays nothing) and returns a Node request listener for paths under `prefix`.
 */
export async function createApiRouter(appDir: string, prefix: string): Promise<ApiRouter> {
  const base = prefix.split("/").filter(Boolean);
  const files = collectRoutes(path.join(appDir, ...base), base.map((value) => ({ kind: "static", value }) as Segment));
  files.sort(compareRoutes);
  const routes: Route[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(file.file).href)) as Record<string, unknown>;
    const handlers = new Map<string, Handler>();
    for (const method of METHODS) if (typeof mod[method] === "function") handlers.set(method, mod[method] as Handler);
    const allow = [...handlers.keys(), ...(handlers.has("GET") && !handlers.has("HEAD") ? ["HEAD"] : []), ...(handlers.has("OPTIONS") ? [] : ["OPTIONS"])];
    routes.push({ ...file, handlers, allow: allow.join(", ") });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const rawUrl = req.url ?? "/";
      const q = rawUrl.indexOf("?");
      const pathname = q < 0 ? rawUrl : rawUrl.slice(0, q);
      // As Next.js does: a trailing slash or repeated slashes redirect to the clean path.
      if ((pathname.length > 1 && pathname.endsWith("/")) || pathname.includes("//")) {
        const clean = pathname.replace(/\/{2,}/g, "/").replace(/(.)\/$/, "$1");
        res.writeHead(308, { Location: clean + (q < 0 ? "" : rawUrl.slice(q)) }).end();
        return;
      }
      const parts = pathname.split("/").filter(Boolean).map(decodeSegment);
      let route: Route | undefined;
      let params: Params | null = null;
      for (const candidate of routes) {
        params = match(candidate, parts);
        if (params) {
          route = candidate;
          break;
        }
      }
      if (!route || !params) {
        await sendResponse(res, renderProblem(problems.notFound("No such API endpoint."), newRequestId()), false, false);
        return;
      }
      const method = req.method ?? "GET";
      const handler = route.handlers.get(method) ?? (method === "HEAD" ? route.handlers.get("GET") : undefined);
      if (!handler) {
        if (method === "OPTIONS") res.writeHead(204, { Allow: route.allow }).end();
        else res.writeHead(405, { Allow: route.allow }).end();
        return;
      }
      const { body, truncated } = method === "GET" || method === "HEAD" ? { body: undefined, truncated: false } : await readBody(req);
      const request = new Request(requestUrl(req, rawUrl), {
        method,
        headers: requestHeaders(req),
        body,
      });
      const response = await handler(request, { params: Promise.resolve(params) });
      await sendResponse(res, response, method === "HEAD", truncated);
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      await sendResponse(res, internalErrorResponse(error, newRequestId()), false, true);
    }
  }

  return { prefix, handle };
}

function requestUrl(req: IncomingMessage, rawUrl: string): string {
  const host = req.headers.host;
  // The Host header is the client's; one that is not a plain host[:port] is not used.
  const origin = host && /^[\w.-]+(:\d{1,5})?$|^\[[0-9a-fA-F:.]+\](:\d{1,5})?$/.test(host) ? `http://${host}` : "http://localhost";
  return origin + (rawUrl.startsWith("/") ? rawUrl : `/${rawUrl}`);
}

function requestHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  return headers;
}

/**
 * The request body, whole when it is at most MAX_BUFFERED_BODY_BYTES. A longer one (or one
 * whose Content-Length says so) is not read to its end: the route sees more bytes than it
 * allows, or the declared length, and answers 413.
 */
async function readBody(req: IncomingMessage): Promise<{ body: Uint8Array<ArrayBuffer> | undefined; truncated: boolean }> {
  const declared = Number(req.headers["content-length"] ?? NaN);
  if (declared > MAX_BUFFERED_BODY_BYTES) return { body: undefined, truncated: true };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    chunks.push(buffer);
    size += buffer.length;
    if (size > MAX_BUFFERED_BODY_BYTES) return { body: Buffer.concat(chunks), truncated: true };
  }
  if (size === 0) return { body: undefined, truncated: false };
  // Socket reads are backed by plain ArrayBuffers (never shared memory).
  return { body: (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)) as Uint8Array<ArrayBuffer>, truncated: false };
}

async function sendResponse(res: ServerResponse, response: Response, headOnly: boolean, closeConnection: boolean): Promise<void> {
  const body = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
  const headers: Record<string, string | string[] | number> = {};
  response.headers.forEach((value, key) => {
    if (key !== "set-cookie") headers[key] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  headers["content-length"] = body?.length ?? 0;
  if (closeConnection) headers.connection = "close";
  res.writeHead(response.status, headers);
  res.end(headOnly ? undefined : body);
}
