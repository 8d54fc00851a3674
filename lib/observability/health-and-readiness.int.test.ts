import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/lib/db";
import { startJobWorker, stopJobWorker } from "@/lib/jobs/worker";
import { startTestApiServer, type TestApiServer } from "@/test/api-server";

/**
 * GET /api/health and GET /api/ready over real HTTP, unauthenticated, on the suite's
 * (migrated) database. JOBS_IN_PROCESS is left at its default, "true", so readiness waits
 * for this process's job worker. The database being unreachable, and migrations pending,
 * are in test/database-outage.int.test.ts, which runs a PostgreSQL of its own.
 */
let server: TestApiServer;

beforeAll(async () => {
  server = await startTestApiServer();
});
afterAll(async () => {
  await stopJobWorker();
  await server.close();
  await closeDb();
});

async function call(path: string, init: RequestInit = {}) {
  const res = await fetch(`${server.url}${path}`, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

describe("GET /api/health", () => {
  it("answers 200 {status: ok} and nothing else, without a key, never cached", async () => {
    const res = await call("/api/health");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok" });
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect((await call("/api/health", { method: "HEAD" })).status).toBe(200);
  });

  it("serves GET only: other methods are 405 problems", async () => {
    const post = await call("/api/health", { method: "POST", body: "{}" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toContain("GET");
    expect(post.headers.get("content-type")).toBe("application/problem+json");
  });
});

describe("GET /api/ready", () => {
  it("is a 503 not_ready problem with Retry-After while the job worker that should run here does not", async () => {
    await stopJobWorker();
    const res = await call("/api/ready");
    expect(res.status).toBe(503);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(res.body).toMatchObject({
      type: "https://drawdown.dev/problems/not_ready",
      status: 503,
      checks: { database: "ok", migrations: "current", jobs: "stopped" },
    });
  });

  it("answers 200 ready once the database answers, migrations are current and the worker runs; reveals nothing else", async () => {
    await startJobWorker({ noHandleSignals: true });
    const res = await call("/api/ready");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ready", checks: { database: "ok", migrations: "current", jobs: "running" }, module_graphs: 1 });
    expect(res.headers.get("cache-control")).toBe("no-store");
    // No version, host, port or database name anywhere in the answer.
    expect(res.text).not.toMatch(/127\.0\.0\.1|localhost|postgres|version|\d+\.\d+\.\d+/i);
    await stopJobWorker();
    expect((await call("/api/ready")).body).toMatchObject({ checks: { jobs: "stopped" } });
  });
});
