import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { setApiRateLimit } from "@/lib/api/rate-limit";
import { closeDb, prisma } from "@/lib/db";
import { createTestCustomer } from "@/test/factories";
import { DrawdownConnectionError, DrawdownRateLimitError, DrawdownValidationError } from "../src/index";
import { setUpChatProduct, startSdkTestApp, type SdkTestApp } from "./support";

/**
 * Retries against the real app through a small proxy that can, per attempt, forward the
 * request and then cut the connection instead of relaying the answer (so the server did
 * the work and the client never heard), answer 503 with Retry-After itself, or forward
 * normally. The wallet and the database show that a retried call took effect once.
 */

type Action = "drop-after-answer" | "drop-before-answer" | "503" | "forward";

interface Attempt {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  at: number;
  upstreamStatus?: number;
  replayed?: boolean;
}

interface RetryProxy {
  url: string;
  attempts: Attempt[];
  /** Actions for the next requests, in order; then "forward". */
  script(...actions: Action[]): void;
  close(): Promise<void>;
}

async function startRetryProxy(upstream: string): Promise<RetryProxy> {
  const target = new URL(upstream);
  const attempts: Attempt[] = [];
  let actions: Action[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const action = actions.shift() ?? "forward";
      const attempt: Attempt = {
        method: req.method ?? "GET",
        path: req.url ?? "/",
        idempotencyKey: req.headers["idempotency-key"] as string | undefined,
        at: Date.now(),
      };
      attempts.push(attempt);
      if (action === "503") {
        res.writeHead(503, { "Content-Type": "application/problem+json", "Retry-After": "1" });
        res.end(JSON.stringify({ type: "https://drawdown.dev/problems/busy", title: "Busy", status: 503, detail: "try again" }));
        return;
      }
      const upstreamRequest = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
        (upstreamResponse) => {
          const body: Buffer[] = [];
          upstreamResponse.on("data", (c: Buffer) => body.push(c));
          upstreamResponse.on("end", () => {
            attempt.upstreamStatus = upstreamResponse.statusCode;
            attempt.replayed = upstreamResponse.headers["idempotent-replayed"] === "true";
            if (action === "drop-after-answer") {
              req.socket.destroy();
              return;
            }
            if (action === "drop-before-answer") return; // already cut
            res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers).end(Buffer.concat(body));
          });
        },
      );
      upstreamRequest.end(Buffer.concat(chunks));
      // The request is on its way to the server; the client hears nothing.
      if (action === "drop-before-answer") upstreamRequest.on("finish", () => req.socket.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    attempts,
    script: (...next) => {
      actions = next;
      attempts.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

let app: SdkTestApp;
let proxy: RetryProxy;

beforeAll(async () => {
  app = await startSdkTestApp("SDK retries");
  proxy = await startRetryProxy(app.server.url);
});
afterEach(() => setApiRateLimit(undefined));
afterAll(async () => {
  await proxy?.close();
  await app?.close();
  await closeDb();
});

const viaProxy = () => app.client({ baseUrl: proxy.url, retryDelayMs: 10 });
const direct = () => app.client();

describe("retries after a lost answer (the server did the work twice over: it must count once)", () => {
  it("createAdjustment (a charge): resolves on the 3rd attempt and debits the wallet once", async () => {
    const { customerId } = await createTestCustomer(app.platform.platformId);
    await direct().customerWalletOps.createAdjustment(customerId, { transactionId: crypto.randomUUID(), asset: "USD", amount: 100, reason: "external_topup" });
    proxy.script("drop-after-answer", "drop-after-answer");
    const transactionId = crypto.randomUUID();
    const result = await viaProxy().customerWalletOps.createAdjustment(customerId, { transactionId, asset: "USD", amount: -7.5, reason: "charge" });
    expect(result).toEqual({ id: transactionId, createdAt: expect.any(String) });
    expect(proxy.attempts.map((a) => a.upstreamStatus)).toEqual([201, 201, 201]);
    expect((await direct().customerWalletOps.getAccount(customerId, "default:USD")).available).toBe(92.5);
    expect((await direct().customerWalletOps.listTransactions(customerId)).totalCount).toBe(2);
  });

  it("events.sendUsage: resolves on the 3rd attempt (reported duplicate, original fees) and charges once", async () => {
    const { customerId } = await createTestCustomer(app.platform.platformId);
    await setUpChatProduct(app, customerId);
    await direct().customerWalletOps.createAdjustment(customerId, { transactionId: crypto.randomUUID(), asset: "CREDIT", amount: 10, reason: "gift" });
    proxy.script("drop-after-answer", "drop-after-answer");
    const event = { id: crypto.randomUUID(), eventType: "api_call", occurredAt: new Date().toISOString() };
    const result = await viaProxy().events.sendUsage({ customerId, events: [event] });
    expect(proxy.attempts).toHaveLength(3);
    expect(result.results).toEqual([
      { id: event.id, status: "duplicate", fees: [expect.objectContaining({ amount: 1, asset: "CREDIT", priceName: "Requests" })] },
    ]);
    expect((await direct().customerWalletOps.getAccount(customerId, "default:CREDIT")).available).toBe(9);
    expect((await direct().events.list({ customerId })).totalCount).toBe(1);
  });

  it("topUps.initiate: one top-up, the same Idempotency-Key on every attempt, the stored answer replayed", async () => {
    const { customerId } = await createTestCustomer(app.platform.platformId);
    proxy.script("drop-after-answer", "drop-after-answer");
    const created = await viaProxy().topUps.initiate({ customerId, amount: 20, currency: "USD", returnUrl: "https://glitch.ai/account" });
    expect(proxy.attempts).toHaveLength(3);
    const [first, ...rest] = proxy.attempts;
    expect(first!.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    for (const a of rest) expect(a.idempotencyKey).toBe(first!.idempotencyKey);
    expect(proxy.attempts.map((a) => a.replayed)).toEqual([false, true, true]);
    expect(await prisma().topUp.findMany({ where: { customerId }, select: { id: true } })).toEqual([{ id: created.id }]);
    expect(created).toMatchObject({ status: "initiated", amount: 20, redirectUrl: expect.any(String) });
  });

  it("topUps.initiate cut before the answer (a retry may meet the first still in flight): one top-up", async () => {
    const { customerId } = await createTestCustomer(app.platform.platformId);
    proxy.script("drop-before-answer");
    const created = await viaProxy().topUps.initiate({ customerId, amount: 30, currency: "USD" });
    expect(proxy.attempts.length).toBeGreaterThanOrEqual(2);
    // any 409 met on the way is `idempotency_key_in_use`, which the SDK retries
    expect(proxy.attempts.every((a) => [undefined, 201, 409].includes(a.upstreamStatus))).toBe(true);
    expect(await prisma().topUp.count({ where: { customerId } })).toBe(1);
    expect((await direct().topUps.get(created.id)).amount).toBe(30);
  });

  it("customers.create: one customer", async () => {
    const email = `${crypto.randomUUID()}@example.com`;
    proxy.script("drop-after-answer", "drop-after-answer");
    const created = await viaProxy().customers.create({ email });
    expect(proxy.attempts).toHaveLength(3);
    expect(await prisma().customer.findMany({ where: { email }, select: { id: true } })).toEqual([{ id: created.id }]);
  });

  it("gives up after maxRetries with a DrawdownConnectionError", async () => {
    const { customerId } = await createTestCustomer(app.platform.platformId);
    proxy.script("drop-after-answer", "drop-after-answer", "drop-after-answer", "drop-after-answer");
    const error = await viaProxy().customerWalletOps.getCustomerWallet(customerId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DrawdownConnectionError);
    expect(proxy.attempts).toHaveLength(3); // 1 + maxRetries (2)
  });
});

describe("retries on 429 and 503, honouring Retry-After", () => {
  it("503 with Retry-After: 1 waits a second, then succeeds", async () => {
    const { customerId } = await createTestCustomer(app.platform.platformId);
    proxy.script("503");
    const wallet = await viaProxy().customerWalletOps.getCustomerWallet(customerId);
    expect(wallet).toEqual({ accounts: [] });
    expect(proxy.attempts).toHaveLength(2);
    expect(proxy.attempts[1]!.at - proxy.attempts[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it("the API's own 429 (Retry-After) is waited out; without retries it is a DrawdownRateLimitError", async () => {
    const { customerId } = await createTestCustomer(app.platform.platformId);
    const client = viaProxy();
    setApiRateLimit(1, 1);
    proxy.script();
    await client.customerWalletOps.getCustomerWallet(customerId);
    await client.customerWalletOps.getCustomerWallet(customerId); // over the limit: 429, waits, retries
    expect(proxy.attempts.map((a) => a.upstreamStatus)).toEqual([200, 429, 200]);
    expect(proxy.attempts[2]!.at - proxy.attempts[1]!.at).toBeGreaterThanOrEqual(950);

    const refused = await client.customerWalletOps.getCustomerWallet(customerId, { maxRetries: 0 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DrawdownRateLimitError);
    expect(refused).toMatchObject({ status: 429, code: "rate_limited" });
    expect((refused as DrawdownRateLimitError).headers.get("retry-after")).toMatch(/^\d+$/);
  });
});

describe("client errors are thrown at once", () => {
  it("a 422 is a DrawdownValidationError with the problem details, after one attempt", async () => {
    const { customerId } = await createTestCustomer(app.platform.platformId);
    proxy.script();
    const error = await viaProxy()
      .topUps.initiate({ customerId, amount: -5, currency: "usd", returnUrl: "ftp://glitch.ai" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DrawdownValidationError);
    const problem = error as DrawdownValidationError;
    expect(problem).toMatchObject({
      status: 422,
      title: "Validation failed",
      type: "https://drawdown.dev/problems/validation_error",
      detail: expect.any(String),
      requestId: expect.stringMatching(/^req_/),
    });
    expect(problem.errors.map((e) => e.field).sort()).toEqual(["amount", "currency", "return_url"]);
    expect(proxy.attempts).toHaveLength(1);
    expect(await prisma().topUp.count({ where: { customerId } })).toBe(0);
  });
});
