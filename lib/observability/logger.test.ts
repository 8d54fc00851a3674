import { afterEach, describe, expect, it, vi } from "vitest";
import { internalErrorResponse } from "@/lib/api/problem";
import { logger, routeConsoleToJsonLogs } from "./logger";

/** Log lines: JSON objects one per line with LOG_FORMAT=json, each request's with its id. */
const saved = { format: process.env.LOG_FORMAT, log: console.log, warn: console.warn, error: console.error, info: console.info };

afterEach(() => {
  if (saved.format === undefined) delete process.env.LOG_FORMAT;
  else process.env.LOG_FORMAT = saved.format;
  Object.assign(console, { log: saved.log, warn: saved.warn, error: saved.error, info: saved.info });
  vi.restoreAllMocks();
});

function captured(stream: NodeJS.WriteStream): string[] {
  const lines: string[] = [];
  vi.spyOn(stream, "write").mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  return lines;
}

describe("logger", () => {
  it("writes a 500's line as one JSON object with the request id and the error when LOG_FORMAT=json", async () => {
    process.env.LOG_FORMAT = "json";
    const lines = captured(process.stderr);
    const response = internalErrorResponse(new Error("boom", { cause: Object.assign(new Error("socket"), { code: "ECONNRESET" }) }), "req_abc");
    expect(response.status).toBe(500);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\{.*\}\n$/);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({
      level: "error",
      scope: "api",
      msg: "request failed",
      request_id: "req_abc",
      error: { name: "Error", message: "boom", cause: { message: "socket", code: "ECONNRESET" } },
    });
    expect(new Date(line.time).toString()).not.toBe("Invalid Date");
    expect(line.error.stack).toContain("logger.test.ts");
  });

  it("keeps readable text lines by default", () => {
    delete process.env.LOG_FORMAT;
    const spy = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    logger("jobs").warn("queue is slow", { request_id: "req_1" });
    expect(spy).toHaveBeenCalledWith("[jobs] queue is slow (request_id=req_1)");
  });

  it("turns console lines (Next.js's, libraries') into JSON lines too when asked", () => {
    process.env.LOG_FORMAT = "json";
    const out = captured(process.stdout);
    const err = captured(process.stderr);
    routeConsoleToJsonLogs();
    console.log("[server] Ready in 12 ms");
    console.error("[server] failed:", new Error("nope"));
    console.log("[%s] %s: %s", "graphile-worker", "INFO", "Worker connected");
    expect(JSON.parse(out[0]!)).toMatchObject({ level: "info", scope: "server", msg: "Ready in 12 ms" });
    expect(JSON.parse(err[0]!)).toMatchObject({ level: "error", scope: "server", msg: "failed", error: { message: "nope" } });
    expect(JSON.parse(out[1]!)).toMatchObject({ level: "info", scope: "graphile-worker", msg: "INFO: Worker connected" });
  });
});
