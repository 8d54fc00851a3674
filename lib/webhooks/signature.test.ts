import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { credytSignatureHeader, signatureHeader, verifyDrawdownSignature } from "./signature";

const secret = "whsec_test_secret";
const body = '{"id":"evt_1","type":"event.refused","created":1738324800,"live_mode":false,"data":{}}';
const now = new Date("2025-01-31T12:00:00Z");
const t = Math.floor(now.getTime() / 1000);

describe("verifyDrawdownSignature", () => {
  it("accepts the header a delivery carries, computed as documented", () => {
    const header = signatureHeader(body, secret, t);
    const expected = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
    expect(header).toBe(`t=${t},v1=${expected}`);
    expect(verifyDrawdownSignature(body, header, secret, 300, now)).toBe(true);
  });

  it("makes Credyt-Signature the same HMAC tagged v0, and accepts it", () => {
    const header = credytSignatureHeader(body, secret, t);
    const expected = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
    expect(header).toBe(`t=${t},v0=${expected}`);
    expect(verifyDrawdownSignature(body, header, secret, 300, now)).toBe(true);
    expect(verifyDrawdownSignature(body, header, "whsec_other", 300, now)).toBe(false);
  });

  it("refuses another body, another secret, a stale or future timestamp", () => {
    const header = signatureHeader(body, secret, t);
    expect(verifyDrawdownSignature(body.replace("refused", "refusal"), header, secret, 300, now)).toBe(false);
    expect(verifyDrawdownSignature(body, header, "whsec_other", 300, now)).toBe(false);
    expect(verifyDrawdownSignature(body, header, secret, 300, new Date(now.getTime() + 301_000))).toBe(false);
    expect(verifyDrawdownSignature(body, header, secret, 300, new Date(now.getTime() - 301_000))).toBe(false);
    expect(verifyDrawdownSignature(body, header, secret, 300, new Date(now.getTime() + 299_000))).toBe(true);
    // a timestamp changed by the sender of a replay breaks the signature
    expect(verifyDrawdownSignature(body, header.replace(`t=${t}`, `t=${t + 1}`), secret, 300, now)).toBe(false);
  });

  it("refuses missing and malformed headers", () => {
    const v1 = signatureHeader(body, secret, t).split(",")[1]!;
    for (const header of [undefined, null, "", `t=${t}`, v1, `t=abc,${v1}`, `t=${t},v1=zz`, `t=${t},v2=${v1.slice(3)}`]) {
      expect(verifyDrawdownSignature(body, header, secret, 300, now)).toBe(false);
    }
  });

  it("accepts any matching v1 among several (secret rotation)", () => {
    const good = signatureHeader(body, secret, t).split(",")[1]!;
    const other = signatureHeader(body, "whsec_old", t).split(",")[1]!;
    expect(verifyDrawdownSignature(body, `t=${t},${other},${good}`, secret, 300, now)).toBe(true);
  });
});
