import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";

/** A request as the emulator's handlers see it: body already read, path and query split. */
export interface EmulatorRequest {
  method: string;
  path: string;
  rawQuery: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

export type Handler = (request: EmulatorRequest, params: string[]) => Reply | Promise<Reply>;

const maxBodyBytes = 1024 * 1024;

export class BodyTooLargeError extends Error {}

export async function readRequest(incoming: IncomingMessage): Promise<EmulatorRequest> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBodyBytes) throw new BodyTooLargeError("request body larger than 1 MB");
    chunks.push(buffer);
  }
  const url = new URL(incoming.url ?? "/", "http://emulator.invalid");
  return {
    method: incoming.method ?? "GET",
    path: url.pathname,
    rawQuery: url.search.slice(1),
    query: url.searchParams,
    headers: incoming.headers,
    body: Buffer.concat(chunks).toString("utf8"),
  };
}

export function writeReply(response: ServerResponse, reply: Reply): void {
  response.writeHead(reply.status, { "Content-Length": String(Buffer.byteLength(reply.body)), ...reply.headers });
  response.end(reply.body);
}

export function json(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(value, null, 2) };
}

export function html(status: number, body: string): Reply {
  return { status, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" }, body };
}

export function redirect(location: string): Reply {
  return { status: 303, headers: { Location: location, "Cache-Control": "no-store" }, body: "" };
}

export function header(request: EmulatorRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Method + path-pattern routing; a pattern's capture groups become the handler's params. */
export class Router {
  private readonly routes: Array<{ method: string; pattern: RegExp; handler: Handler }> = [];

  on(method: string, pattern: RegExp, handler: Handler): this {
    this.routes.push({ method, pattern, handler });
    return this;
  }

  match(method: string, path: string): { handler: Handler; params: string[] } | undefined {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const found = route.pattern.exec(path);
      if (found) return { handler: route.handler, params: found.slice(1).map((p) => decodeURIComponent(p)) };
    }
    return undefined;
  }
}
