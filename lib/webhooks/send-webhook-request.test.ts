import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sendWebhookRequest } from "./send-webhook-request";
import { startWebhookReceiver, type WebhookReceiver } from "./testing/webhook-receiver";
import type { ResolvedAddress, WebhookDestinationPolicy } from "./webhook-destination-policy";

/**
 * The sender over real sockets to a loopback receiver: a refused destination gets no
 * bytes at all, a name is connected to at the address that was checked, and failures
 * are logged without the network's details.
 */

let receiver: WebhookReceiver;
let port: string;
beforeAll(async () => {
  receiver = await startWebhookReceiver();
  port = new URL(receiver.url).port;
});
afterAll(() => receiver.close());
beforeEach(() => {
  receiver.received.length = 0;
  receiver.answerWith(200);
});

const body = JSON.stringify({ id: "evt_test", type: "event.refused", created: 0, live_mode: false, data: {} });
const send = (url: string, policy: WebhookDestinationPolicy, timeoutMs = 5000) =>
  sendWebhookRequest(url, body, { "Content-Type": "application/json" }, { timeoutMs, snippetChars: 300, policy });

/** A resolver that answers `addresses` for every name and counts the questions. */
function dns(...addresses: string[]) {
  const asked: string[] = [];
  const resolve = async (hostname: string): Promise<ResolvedAddress[]> => {
    asked.push(hostname);
    return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
  return { asked, resolve };
}

const policy = (allowPrivateNetworks: boolean, resolve = dns().resolve): WebhookDestinationPolicy => ({ allowHttp: true, allowPrivateNetworks, resolve });

describe("a refused destination", () => {
  it("an IP literal gets nothing, and the log says why in general terms", async () => {
    const result = await send(receiver.url, policy(false));
    expect(result).toEqual({ ok: false, statusCode: null, error: "destination not allowed: resolves to a non-public address" });
    expect(receiver.received).toEqual([]);
  });

  it("a public-looking name that resolves to loopback (DNS changed since registration) gets nothing", async () => {
    const rebinding = dns("127.0.0.1");
    const result = await send(`http://hooks.rebind.example:${port}/webhooks/drawdown`, policy(false, rebinding.resolve));
    expect(result).toEqual({ ok: false, statusCode: null, error: "destination not allowed: resolves to a non-public address" });
    expect(rebinding.asked).toEqual(["hooks.rebind.example"]);
    expect(receiver.received).toEqual([]);
  });

  it("one non-public address among public ones is enough to refuse", async () => {
    const mixed = dns("93.184.215.14", "127.0.0.1");
    const result = await send(`http://hooks.rebind.example:${port}/webhooks/drawdown`, policy(false, mixed.resolve));
    expect(result.error).toBe("destination not allowed: resolves to a non-public address");
    expect(receiver.received).toEqual([]);
  });

  it("a metadata address is refused even with private networks allowed", async () => {
    const metadata = dns("169.254.169.254");
    const result = await send(`http://hooks.rebind.example:${port}/`, policy(true, metadata.resolve));
    expect(result.error).toBe("destination not allowed: resolves to a non-public address");
    expect((await send("http://metadata.google.internal/computeMetadata/v1/", policy(true))).error).toBe("destination not allowed: cloud metadata service");
  });
});

describe("an allowed destination", () => {
  it("a name is connected to at the address it resolved to, with the name as Host", async () => {
    const local = dns("127.0.0.1");
    const result = await send(`http://hooks.rebind.example:${port}/webhooks/drawdown`, policy(true, local.resolve));
    expect(result).toEqual({ ok: true, statusCode: 200, error: null });
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]!.headers.host).toBe(`hooks.rebind.example:${port}`);
    expect(receiver.received[0]!.body).toBe(body);
  });

  it("keeps the status and the start of the body of a non-2xx answer", async () => {
    receiver.answerWith(503);
    expect(await send(receiver.url, policy(true))).toEqual({ ok: false, statusCode: 503, error: "HTTP 503: receiver says no" });
  });
});

describe("failures say what kind, not where", () => {
  it("a closed port is `connection failed`, without address or port", async () => {
    const closed = await startWebhookReceiver();
    await closed.close();
    const result = await send(closed.url, policy(true));
    expect(result).toEqual({ ok: false, statusCode: null, error: "connection failed" });
  });

  it("no answer in time is `timed out`", async () => {
    const silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`;
      expect(await send(url, policy(true), 100)).toEqual({ ok: false, statusCode: null, error: "timed out" });
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("a name that does not resolve is `host not found`", async () => {
    const nowhere = { resolve: () => Promise.reject(Object.assign(new Error("getaddrinfo ENOTFOUND 10.9.8.7"), { code: "ENOTFOUND" })) };
    expect(await send("https://nowhere.rebind.example/", { ...policy(false), ...nowhere })).toEqual({ ok: false, statusCode: null, error: "host not found" });
  });
});
