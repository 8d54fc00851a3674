import { readdirSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { isFallback, withAutomatic } from "@/lib/api/fallback";
import { internalErrorResponse, problems, renderProblem, type ApiProblem } from "@/lib/api/problem";
import { newRequestId } from "@/lib/api/request-id";
import { timeResponse } from "@/lib/observability/metrics";

/**
 * Serves App Router route handlers (`app/api/.../route.ts`) straight from Node's HTTP
 * server, without Next.js's request pipeline. The production server (server/main.ts)
 * answers `/api/v1/*` with it, from the route modules `next build` compiled (so they share
 * lib/ with Next.js's own routes), because Next.js's per-request work (routing, request
 * contexts, stream piping) cost more CPU than the whole usage-event charge (see
 * docs/benchmarks.md); the integration tests (test/api-server.ts) serve `app/api`'s
 * sources with it.
 *
 * Same contract as Next.js for these files: routes are matched like the App Router does
 * (static segments before `[param]`, `[...catchAll]` last; `(group)` folders ignored),
 * the exported method handler gets a web `Request` and `{ params: Promise }` with decoded
 * segments, `HEAD` falls back to `GET` without a body, `OPTIONS` answers 204 with `Allow`,
 * and a trailing slash or repeated slashes redirect (308) to the clean path. Unlike
 * Next.js 16: a path segment that is not valid percent-encoding is passed on as sent (the
 * route answers 404) instead of failing with a 500; a method the file does not export,
 * including ones no file can export (PROPFIND), is a 405 problem with `Allow` (Next.js: an
 * empty 405, or 400), and `Allow` leaves out the file's `methodNotAllowed` exports
 * (lib/api/fallback.ts). A body is read only up to the handler's `maxBodyBytes`: one
 * declared or sent beyond it is a 413 problem at once, and the rest is never read (the
 * connection is closed after the answer). The handlers stay plain Next.js route handlers:
 * `next dev` serves the same files through Next.js.
 */

type Params = Record<string, string | string[]>;
type Handler = ((request: Request, context: { params: Promise<Params> }) => Promise<Response> | Response) & {
  /** Set by apiRoute and withBodyLimit (lib/api): the route's body limit. */
  maxBodyBytes?: number;
};

type Segment = { kind: "static"; value: string } | { kind: "param"; name: string } | { kind: "catchAll"; name: string };

interface RouteFile {
  file: string;
  segments: Segment[];
}

interface Route extends RouteFile {
  handlers: Map<string, Handler>;
  /** The methods the file serves, as `Allow` lists them; empty for a catch-all 404 file. */
  allow: string[];
  /** The path as its folders spell it (`/api/v1/customers/[id]`): the metrics' route label. */
  pattern: string;
}

function routePattern(segments: Segment[]): string {
  return "/" + segments.map((s) => (s.kind === "static" ? s.value : s.kind === "param" ? `[${s.name}]` : `[...${s.name}]`)).join("/");
}

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/** Whether a route file can export a handler for `method` (Next.js answers others a bare 400). */
export function isRouteMethod(method: string | undefined): boolean {
  return (METHODS as readonly string[]).includes(method ?? "GET");
}

/** The body limit of a handler that declares none (every lib/api wrapper declares one). */
const MAX_BUFFERED_BODY_BYTES = 8 * 1024 * 1024;

/** How long a client may go on sending a body nobody reads, once it has its answer. */
const LINGER_MS = 2_000;

function collectRoutes(dir: string, prefix: Segment[], fileName: string): RouteFile[] {
  const out: RouteFile[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const name = entry.name;
    if (entry.isDirectory()) {
      if (name.startsWith("(") && name.endsWith(")")) {
        out.push(...collectRoutes(full, prefix, fileName));
        continue;
      }
      const segment: Segment = name.startsWith("[...")
        ? { kind: "catchAll", name: name.slice(4, -1) }
        : name.startsWith("[")
          ? { kind: "param", name: name.slice(1, -1) }
          : { kind: "static", value: name };
      out.push(...collectRoutes(full, [...prefix, segment], fileName));
    } else if (name === fileName) {
      out.push({ file: full, segments: prefix });
    }
  }
  return out;
}

/** A route file's exports (GET, POST, …), imported from source (tsx or vitest compile it). */
async function importSource(file: string): Promise<Record<string, unknown>> {
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

const requireBuilt = createRequire(import.meta.url);

/**
 * A route file's exports as `next build` compiled them (`.next/server/app/…/route.js`):
 * each compiled route exports a `routeModule` whose `userland` is the route file's own
 * exports, loaded lazily (awaited here). Required with Node's `require`, as Next.js's
 * server requires the same files: every compiled route handler of the build (these, the
 * portal's routes, the Stripe webhook) then runs on one Turbopack runtime with one module
 * cache, so they share every lib/ module instance (docs/ARCHITECTURE.md "The production
 * server").
 */
async function importBuilt(file: string): Promise<Record<string, unknown>> {
  const entry = requireBuilt(file) as { routeModule?: { ensureUserland?(): Promise<void>; userland: Record<string, unknown> } };
  const routeModule = entry.routeModule;
  if (!routeModule) throw new Error(`${file} is not a route that next build compiled (no routeModule export)`);
  await routeModule.ensureUserland?.();
  return routeModule.userland;
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

export interface ApiRouterOptions {
  /**
   * `appDir` is a build's `.next/server/app`: serve the route modules `next build`
   * compiled (`route.js`) instead of importing the `route.ts` sources.
   */
  built?: boolean;
}

/**
 * Loads every route file under `<appDir>/<prefix>` (now, so the first request pays
 * nothing) and returns a Node request listener for paths under `prefix`: the sources
 * (`route.ts`; the integration tests), or with `built` the build's compiled routes (the
 * production server, so that it holds one copy of lib/).
 */
export async function createApiRouter(appDir: string, prefix: string, options: ApiRouterOptions = {}): Promise<ApiRouter> {
  const base = prefix.split("/").filter(Boolean);
  const load = options.built ? importBuilt : importSource;
  const files = collectRoutes(path.join(appDir, ...base), base.map((value) => ({ kind: "static", value }) as Segment), options.built ? "route.js" : "route.ts");
  files.sort(compareRoutes);
  const routes: Route[] = [];
  for (const file of files) {
    const mod = await load(file.file);
    const handlers = new Map<string, Handler>();
    for (const method of METHODS) if (typeof mod[method] === "function") handlers.set(method, mod[method] as Handler);
    const served = [...handlers].filter(([, handler]) => !isFallback(handler)).map(([method]) => method);
    routes.push({ ...file, handlers, allow: served.length > 0 ? withAutomatic(served) : [], pattern: routePattern(file.segments) });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const bodyPending = hasBody(req);
    if (bodyPending) closeWhenAnswered(req, res);
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
      const method = req.method ?? "GET";
      // A route pattern, never the raw path: no id becomes a metric label.
      timeResponse(res, route?.pattern ?? "unmatched", isRouteMethod(method) ? method : "other");
      if (!route || !params) {
        await sendResponse(res, renderProblem(problems.notFound("No such API endpoint."), newRequestId()), req.method === "HEAD");
        return;
      }
      const refuse = (problem: ApiProblem) => sendResponse(res, renderProblem(problem, newRequestId()), method === "HEAD");
      const exported = route.handlers.get(method) ?? (method === "HEAD" ? route.handlers.get("GET") : undefined);
      // A catch-all 404 file answers every method, those no file can export included.
      const handler = exported ?? (route.allow.length === 0 ? route.handlers.values().next().value : undefined);
      if (method === "OPTIONS" && route.allow.length > 0 && (!handler || isFallback(handler))) {
        res.writeHead(204, { Allow: route.allow.join(", ") }).end();
        return;
      }
      if (!handler) {
        await refuse(problems.methodNotAllowed(route.allow));
        return;
      }
      if (isFallback(handler)) {
        // A refusal reads nothing (closeWhenAnswered deals with a body sent all the same).
        await sendResponse(res, await handler(new Request(requestUrl(req, rawUrl), { method: "GET" })), method === "HEAD");
        return;
      }
      const maxBytes = handler.maxBodyBytes ?? MAX_BUFFERED_BODY_BYTES;
      const body = bodyPending ? await readBody(req, maxBytes) : undefined;
      if (body === TOO_LARGE) {
        await refuse(problems.payloadTooLarge(maxBytes));
        return;
      }
      const request = new Request(requestUrl(req, rawUrl), {
        method,
        headers: requestHeaders(req),
        // GET and HEAD cannot carry a body in a web Request: read (within the limit), not passed.
        body: method === "GET" || method === "HEAD" ? undefined : body,
      });
      const response = await handler(request, { params: Promise.resolve(params) });
      await sendResponse(res, response, method === "HEAD");
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      await sendResponse(res, internalErrorResponse(error, newRequestId()), false);
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
 * A request answered with `Connection: close` before its body was read to the end (a 413,
 * a refusal that needed no body) leaves the rest unread. Node would then close the
 * connection as soon as the answer is written, and closing a socket with unread data
 * resets it: a client still busy sending can lose the answer to that reset (Node's own
 * client does, half the time). Instead the connection is half-closed (the client sees it
 * end after the answer) and dropped when the client closes its side, or after LINGER_MS,
 * reading at most one more chunk meanwhile. An answer that keeps the connection alive
 * needs the rest read off the wire, which Node does (and discards). Used for /api/v1 here
 * and for Next.js's /api routes by server/main.ts.
 */
export function closeWhenAnswered(req: IncomingMessage, res: ServerResponse): void {
  // Before Node's own listener, which reads a body nobody started reading to discard it.
  res.prependOnceListener("finish", () => {
    if (req.complete) return;
    const closing = !res.shouldKeepAlive || /\bclose\b/i.test(String(res.getHeader("connection") ?? ""));
    if (!closing) return;
    // A listener that pauses at the first chunk stops Node from reading on.
    req.once("data", () => req.pause());
    const socket = req.socket;
    // Node ends a closing answer with destroySoon(): the FIN, then a reset once written.
    socket.destroySoon = () => socket.end();
    const timer = setTimeout(() => socket.destroy(), LINGER_MS).unref();
    socket.once("close", () => clearTimeout(timer));
  });
}

function hasBody(req: IncomingMessage): boolean {
  return req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;
}

const TOO_LARGE = Symbol("too large");

/**
 * The request body, whole when it is at most `maxBytes`. One whose Content-Length says
 * more is not read at all; a chunked one is read no further than the chunk that passes
 * the limit (paused, not destroyed: the 413 still has to be written on its socket).
 */
function readBody(req: IncomingMessage, maxBytes: number): Promise<Uint8Array<ArrayBuffer> | undefined | typeof TOO_LARGE> {
  const declared = Number(req.headers["content-length"] ?? NaN);
  if (declared > maxBytes) return Promise.resolve(TOO_LARGE);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off("data", onData).off("end", onEnd).off("error", onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        done();
        req.pause();
        resolve(TOO_LARGE);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      done();
      // Socket reads are backed by plain ArrayBuffers (never shared memory).
      resolve(size === 0 ? undefined : ((chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)) as Uint8Array<ArrayBuffer>));
    };
    const onError = (error: Error) => {
      done();
      reject(error);
    };
    req.on("data", onData).on("end", onEnd).on("error", onError);
  });
}

async function sendResponse(res: ServerResponse, response: Response, headOnly: boolean): Promise<void> {
  const body = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
  const headers: Record<string, string | string[] | number> = {};
  response.headers.forEach((value, key) => {
    if (key !== "set-cookie") headers[key] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  headers["content-length"] = body?.length ?? 0;
  // A body left unread (a refusal) ends the connection: see closeWhenAnswered.
  if (!res.req.complete) headers.connection = "close";
  res.writeHead(response.status, headers);
  res.end(headOnly ? undefined : body);
}
