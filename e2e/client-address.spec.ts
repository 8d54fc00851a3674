import { randomBytes, randomInt } from "node:crypto";
import http from "node:http";
import { freePort, startAppServer, type AppServer } from "./fixtures/app-server";
import { expect, test, uniqueEmail } from "./fixtures/test";

/**
 * The per-IP magic-link budget (30 an hour) is charged to the client's real address, through
 * the production server (server/main.ts) and Next.js as deployed: a client-sent
 * X-Forwarded-For does not move it, unless the operator trusts a proxy hop
 * (TRUST_PROXY_HOPS), and then it is that proxy's entry that counts.
 *
 * Requests leave from their own loopback addresses (127.x.y.z: Linux routes all of 127/8
 * to lo), so each test has fresh budgets and leaves 127.0.0.1's to the other specs.
 */

const PER_IP_LIMIT = 30;

function loopbackAddress(): string {
  return `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
}

/** POSTs a magic-link request the way the sign-in form does (no CSRF token: next-auth stops after the limit is charged). */
function requestMagicLink(baseUrl: string, agent: http.Agent, forwardedFor: string): Promise<number> {
  const body = new URLSearchParams({ email: uniqueEmail("budget"), platform: "plat_budget", mode: "test", json: "true" }).toString();
  const url = new URL("/api/auth/signin/email", baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: "POST",
        agent,
        headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": Buffer.byteLength(body), "X-Forwarded-For": forwardedFor },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** One kept-alive socket from one local address. */
function socketFrom(localAddress: string): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: 1, localAddress });
}

test("a client-sent X-Forwarded-For does not change which budget is charged", async () => {
  const baseUrl = process.env.E2E_BASE_URL!;
  const one = socketFrom(loopbackAddress());
  const other = socketFrom(loopbackAddress());
  try {
    const statuses: number[] = [];
    for (let i = 0; i <= PER_IP_LIMIT; i++) statuses.push(await requestMagicLink(baseUrl, one, `198.18.${i}.1`));
    expect(statuses.slice(0, PER_IP_LIMIT).filter((s) => s === 429)).toEqual([]);
    expect(statuses[PER_IP_LIMIT]).toBe(429);
    // Another peer claiming an address the first one used is charged to itself.
    expect(await requestMagicLink(baseUrl, other, "198.18.0.1")).not.toBe(429);
  } finally {
    one.destroy();
    other.destroy();
  }
});

test.describe("behind one trusted proxy (TRUST_PROXY_HOPS=1)", () => {
  let app: AppServer;

  test.beforeAll(async () => {
    // A second production server on the suite's build and database, trusting one hop.
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const { STRIPE_SECRET_KEY: _real, ...inherited } = process.env;
    app = await startAppServer(
      port,
      {
        ...inherited,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        DATABASE_URL: process.env.E2E_DATABASE_URL,
        APP_URL: url,
        NEXTAUTH_URL: url,
        NEXTAUTH_SECRET: randomBytes(32).toString("hex"),
        STRIPE_MODE: "emulator",
        STRIPE_EMULATOR_URL: process.env.E2E_STRIPE_EMULATOR_URL,
        JOBS_IN_PROCESS: "false",
        TRUST_PROXY_HOPS: "1",
      },
      "server-trust-proxy.log",
    );
  });
  test.afterAll(async () => {
    await app?.stop();
  });

  test("the address the proxy appended is charged, whichever socket it came from", async () => {
    const proxyA = socketFrom(loopbackAddress());
    const proxyB = socketFrom(loopbackAddress());
    const client = `198.19.${randomInt(0, 256)}.${randomInt(1, 255)}`;
    try {
      const statuses: number[] = [];
      // The proxy appends the client's address to whatever the client claimed.
      for (let i = 0; i < PER_IP_LIMIT; i++) statuses.push(await requestMagicLink(app.url, proxyA, `10.${i}.0.1, ${client}`));
      expect(statuses.filter((s) => s === 429)).toEqual([]);
      // The same client through another proxy replica: its budget is spent.
      expect(await requestMagicLink(app.url, proxyB, `192.0.2.1, ${client}`)).toBe(429);
      // Another client through the first proxy has its own.
      expect(await requestMagicLink(app.url, proxyA, `${client}, 203.0.113.77`)).not.toBe(429);
    } finally {
      proxyA.destroy();
      proxyB.destroy();
    }
  });
});
