import { describe, expect, it } from "vitest";
import { credytSignatureHeader, signatureHeader } from "@/lib/webhooks/signature";
import { DrawdownClient, verifyWebhookSignature } from "../src/index";

/** The SDK's Web Crypto check against signatures made by the server (lib/webhooks/signature.ts). */

const secret = "whsec_0f3kJtestsecretvalue";
const body = JSON.stringify({ id: "evt_1", type: "top_up.succeeded", created: 1_732_000_000, live_mode: false, data: { amount: 50, note: "ünïcode ✓" } });
const now = new Date("2026-01-01T00:00:00Z");
const t = Math.floor(now.getTime() / 1000);
const webhooks = new DrawdownClient({ apiKey: "dd_test_x", baseUrl: "http://localhost" }).webhooks;

describe("webhooks.verifySignature", () => {
  it("accepts the server's signature of the raw body, as a string or as bytes", async () => {
    const header = signatureHeader(body, secret, t);
    expect(await webhooks.verifySignature(body, header, secret, { now })).toBe(true);
    expect(await webhooks.verifySignature(new TextEncoder().encode(body), header, secret, { now })).toBe(true);
    // with the real clock, a signature made just now
    expect(await verifyWebhookSignature(body, signatureHeader(body, secret, Math.floor(Date.now() / 1000)), secret)).toBe(true);
  });

  it("accepts the Credyt-Signature header (v0) the server sends beside it", async () => {
    const header = credytSignatureHeader(body, secret, t);
    expect(header).toMatch(/^t=\d+,v0=[0-9a-f]{64}$/);
    expect(await webhooks.verifySignature(body, header, secret, { now })).toBe(true);
    expect(await webhooks.verifySignature(body, header, "whsec_other", { now })).toBe(false);
  });

  it("accepts any one matching v1 (secret rotation)", async () => {
    const header = `${signatureHeader(body, "whsec_old", t)},${signatureHeader(body, secret, t).split(",")[1]}`;
    expect(await webhooks.verifySignature(body, header, secret, { now })).toBe(true);
  });

  it("refuses another body, another secret, a stale or future timestamp, and malformed headers", async () => {
    const header = signatureHeader(body, secret, t);
    expect(await webhooks.verifySignature(body + " ", header, secret, { now })).toBe(false);
    expect(await webhooks.verifySignature(body, header, "whsec_other", { now })).toBe(false);
    expect(await webhooks.verifySignature(body, header, secret, { now: new Date(now.getTime() + 301_000) })).toBe(false);
    expect(await webhooks.verifySignature(body, header, secret, { now: new Date(now.getTime() - 301_000) })).toBe(false);
    expect(await webhooks.verifySignature(body, header, secret, { now: new Date(now.getTime() + 299_000) })).toBe(true);
    expect(await webhooks.verifySignature(body, header, secret, { now: new Date(now.getTime() + 600_000), toleranceSeconds: 900 })).toBe(true);
    for (const bad of [null, undefined, "", "t=1", `v1=${"0".repeat(64)}`, `t=${t},v1=zz`, `t=${t},v1=${"0".repeat(64)}`]) {
      expect(await webhooks.verifySignature(body, bad, secret, { now })).toBe(false);
    }
  });
});
