import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifyWebhookSignature } from "@/sdk/src/webhook-signature";
import { credytSignatureHeader, signatureHeader, signatureHeaders } from "./signature";

/**
 * The headers the server signs deliveries with. Verifying is the SDK's job (its rules:
 * sdk/test/webhook-signature.test.ts); here, that what the server sends is the documented
 * HMAC and that the SDK accepts it.
 */

const secret = "whsec_test_secret";
const body = '{"id":"evt_1","type":"event.refused","created":1738324800,"live_mode":false,"data":{}}';
const now = new Date("2025-01-31T12:00:00Z");
const t = Math.floor(now.getTime() / 1000);
const documented = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");

describe("delivery signatures", () => {
  it("signs `${t}.${body}` with HMAC-SHA256 under the whole secret: v1 in Drawdown-Signature, v0 in Credyt-Signature", () => {
    expect(signatureHeaders(body, secret, t)).toEqual({ "Drawdown-Signature": `t=${t},v1=${documented}`, "Credyt-Signature": `t=${t},v0=${documented}` });
    expect(signatureHeader(body, secret, t)).toBe(`t=${t},v1=${documented}`);
    expect(credytSignatureHeader(body, secret, t)).toBe(`t=${t},v0=${documented}`);
  });

  it("is accepted by the SDK's verifier, and a changed timestamp breaks it", async () => {
    for (const header of Object.values(signatureHeaders(body, secret, t))) {
      expect(await verifyWebhookSignature(body, header, secret, { now })).toBe(true);
      expect(await verifyWebhookSignature(body, header.replace(`t=${t}`, `t=${t + 1}`), secret, { now })).toBe(false);
    }
  });
});
