import { spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { subscribeCustomer } from "@/lib/catalog";
import { closeDb } from "@/lib/db";
import { deliverDueWebhooks, fanOutWebhookEvents } from "@/lib/webhooks";
import { createTestCustomer } from "@/test/factories";
import { setUpChatProduct, startSdkTestApp, type SdkTestApp } from "@/sdk/test/support";

/**
 * Runs the Python SDK's unittest suite (sdk-python/tests) against the real app: the API's
 * route handlers over HTTP on the suite's throwaway PostgreSQL and the Stripe emulator
 * (the TypeScript SDK's test app, sdk/test/support.ts). This side makes what Python
 * cannot make through the API: the platform and its key, the "chat" product with its
 * assets, and two subscribed customers; and it serves a tiny endpoint that runs the
 * webhook dispatcher for one endpoint (`POST /dispatch?endpoint=we_…`: fan out the
 * outbox, send that endpoint's due deliveries), so the Python webhook test decides when
 * its delivery goes out without sending other test files' webhooks early.
 *
 * Python runs as a child process (asynchronously: the app answers from this process's
 * event loop). Only `python3` is needed: the SDK and its tests use the standard library.
 */

const root = path.resolve(import.meta.dirname, "..");

let app: SdkTestApp;
let dispatcher: http.Server;
let dispatchUrl: string;
let customerId: string;
let brokeCustomerId: string;

beforeAll(async () => {
  app = await startSdkTestApp("Python SDK");
  ({ customerId } = await createTestCustomer(app.platform.platformId, { name: "Seed customer (Python)" }));
  await setUpChatProduct(app, customerId);
  ({ customerId: brokeCustomerId } = await createTestCustomer(app.platform.platformId, { name: "No credits (Python)" }));
  await subscribeCustomer(app.platform, brokeCustomerId, [{ code: "chat", version: "default" }]);
  dispatcher = http.createServer((req, res) => {
    const endpointId = new URL(req.url ?? "/", "http://localhost").searchParams.get("endpoint");
    req.resume();
    req.on("end", () => {
      if (!endpointId) return void res.writeHead(400).end("?endpoint= is required");
      fanOutWebhookEvents()
        .then(() => deliverDueWebhooks({ endpointId }))
        .then(
          (run) => res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(run)),
          (error: unknown) => res.writeHead(500).end(String(error)),
        );
    });
  });
  await new Promise<void>((resolve) => dispatcher.listen(0, "127.0.0.1", resolve));
  dispatchUrl = `http://127.0.0.1:${(dispatcher.address() as AddressInfo).port}/dispatch`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => (dispatcher ? dispatcher.close(() => resolve()) : resolve()));
  await app?.close();
  await closeDb();
});

function runPython(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // PYTHON=/path/to/python3.9 npx vitest run sdk-python/python-sdk.int.test.ts tries another interpreter.
    const child = spawn(process.env.PYTHON || "python3", [path.join(root, "sdk-python/tests/run.py")], {
      cwd: root,
      env: { ...process.env, ...env, PYTHONDONTWRITEBYTECODE: "1", PYTHONUNBUFFERED: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

describe("the Python SDK (sdk-python)", () => {
  it("passes its unittest suite against the real app", { timeout: 120_000 }, async () => {
    const { code, output } = await runPython({
      DRAWDOWN_BASE_URL: app.server.url,
      DRAWDOWN_API_KEY: app.platform.apiKey,
      DRAWDOWN_TEST_CUSTOMER_ID: customerId,
      DRAWDOWN_TEST_BROKE_CUSTOMER_ID: brokeCustomerId,
      DRAWDOWN_TEST_DISPATCH_URL: dispatchUrl,
    });
    console.log(output);
    const summary = /python sdk: (\d+) passed, (\d+) failed, (\d+) skipped\s*$/.exec(output);
    expect(summary, "the Python run's closing summary line").not.toBeNull();
    expect({ code, failed: Number(summary![2]), skipped: Number(summary![3]) }).toEqual({ code: 0, failed: 0, skipped: 0 });
    expect(Number(summary![1])).toBeGreaterThanOrEqual(50);
  });
});
