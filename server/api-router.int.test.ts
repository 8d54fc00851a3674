import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, prisma } from "@/lib/db";
import { startTestApiServer, type TestApiServer } from "@/test/api-server";
import { createTestPlatform, type TestPlatform } from "@/test/factories";

/**
 * The router the production server answers `/api/v1` with (server/main.ts), through real
 * HTTP: what Next.js would do for the same route files, and the body limits.
 */

let server: TestApiServer;
let platform: TestPlatform;

beforeAll(async () => {
  [server, platform] = await Promise.all([startTestApiServer(), createTestPlatform("Router tests")]);
});
afterAll(async () => {
  await server.close();
  await closeDb();
});

function send(method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}) {
  return fetch(`${server.url}${path}`, {
    method,
    redirect: "manual",
    headers: { authorization: `Bearer ${platform.apiKey}`, ...init.headers },
    body: init.body,
  });
}

/** A raw HTTP/1.1 exchange, for what fetch cannot send (bodies over a declared length, connection handling). */
function rawRequest(head: string, body: Buffer): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method: "POST", path: head, headers: { authorization: `Bearer ${platform.apiKey}`, "content-type": "application/json" } });
    req.on("response", (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    // The server may answer and close before the whole body is sent.
    req.on("error", (error: NodeJS.ErrnoException) => (error.code === "EPIPE" || error.code === "ECONNRESET" ? undefined : reject(error)));
    req.end(body);
  });
}

describe("routing like the App Router", () => {
  it("serves a route file's exported method with params and query", async () => {
    const created = await send("POST", "/api/v1/customers", { body: JSON.stringify({ name: "Router" }), headers: { "content-type": "application/json" } });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const got = await send("GET", `/api/v1/customers/${id}`);
    expect(got.status).toBe(200);
    expect(((await got.json()) as { id: string }).id).toBe(id);
    const listed = await send("GET", "/api/v1/customers?limit=1");
    expect(((await listed.json()) as { limit: number }).limit).toBe(1);
  });

  it("redirects a trailing slash and repeated slashes to the clean path, keeping the query (308)", async () => {
    for (const [path, location] of [
      ["/api/v1/customers/", "/api/v1/customers"],
      ["/api/v1//customers?limit=2", "/api/v1/customers?limit=2"],
      ["/api/v1/customers//", "/api/v1/customers"],
    ]) {
      const res = await send("GET", path!);
      expect(res.status, path).toBe(308);
      expect(res.headers.get("location"), path).toBe(location);
    }
  });

  it("answers HEAD with GET's headers and no body, OPTIONS with Allow", async () => {
    const head = await send("HEAD", "/api/v1/customers");
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toBe("application/json");
    expect(Number(head.headers.get("content-length"))).toBeGreaterThan(0);
    expect(await head.text()).toBe("");
    const options = await send("OPTIONS", "/api/v1/events");
    expect(options.status).toBe(204);
    // Only what the route file exports (GET, POST), with HEAD and OPTIONS.
    expect(options.headers.get("allow")).toBe("GET, POST, HEAD, OPTIONS");
  });

  it("answers a method the file does not export with a 405 problem whose Allow is what it exports", async () => {
    // app/api/v1/events exports GET and POST and nothing else: HEAD comes with GET, OPTIONS always.
    for (const method of ["DELETE", "PUT", "PATCH"]) {
      const res = await send(method, "/api/v1/events");
      expect(res.status, method).toBe(405);
      expect(res.headers.get("content-type"), method).toBe("application/problem+json");
      expect(res.headers.get("allow"), method).toBe("GET, POST, HEAD, OPTIONS");
      expect(((await res.json()) as { status: number }).status).toBe(405);
    }
  });

  it("answers unknown paths and undecodable segments with a 404 problem, not a 500", async () => {
    // /api/nope matches no route file at all (the test server serves all of app/api).
    for (const path of ["/api/v1/nope", "/api/v1/customers/%E0%A4%A", "/api/v1/customers/%zz/wallet", "/api/nope"]) {
      const res = await send("GET", path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type"), path).toBe("application/problem+json");
    }
  });
});

describe("request bodies", () => {
  it("passes a body over a route's limit on so the route answers its own 413, and writes nothing", async () => {
    const before = await prisma().customer.count({ where: { platformId: platform.platformId } });
    const big = Buffer.alloc(2 * 1024 * 1024, " ");
    const res = await rawRequest("/api/v1/customers", Buffer.concat([Buffer.from('{"name":"x"'), big, Buffer.from("}")]));
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ status: 413, max_bytes: 1024 * 1024 });
    expect(await prisma().customer.count({ where: { platformId: platform.platformId } })).toBe(before);
  });

  it("stops reading a body past its limit and closes the connection after the 413", async () => {
    const huge = Buffer.alloc(9 * 1024 * 1024, " ");
    const res = await rawRequest("/api/v1/events", huge);
    expect(res.status).toBe(413);
    expect(res.headers.connection).toBe("close");
    expect(JSON.parse(res.body)).toMatchObject({ status: 413, max_bytes: 5 * 1024 * 1024 });
  });
});
