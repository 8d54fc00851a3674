import { createHmac, timingSafeEqual } from "node:crypto";

/** The header every delivery carries: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`. */
export const SIGNATURE_HEADER = "Drawdown-Signature";

/** The `v1` signature: hex HMAC-SHA256, keyed with the whole secret (`whsec_…`, as UTF-8), of `${t}.${body}`. */
export function computeSignature(body: string, secret: string, timestamp: number): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`, "utf8").digest("hex");
}

/** The `Drawdown-Signature` value for `body` sent at `timestamp` (unix seconds). */
export function signatureHeader(body: string, secret: string, timestamp: number): string {
  return `t=${timestamp},v1=${computeSignature(body, secret, timestamp)}`;
}

/**
 * Credyt's header, sent beside ours so receivers written from Credyt's documentation verify
 * Drawdown's webhooks unchanged: `Credyt-Signature: t=<unix seconds>,v0=<hex>`, the same
 * HMAC-SHA256 of `${t}.${body}` under the same secret, tagged `v0` as Credyt documents.
 */
export const CREDYT_SIGNATURE_HEADER = "Credyt-Signature";

export function credytSignatureHeader(body: string, secret: string, timestamp: number): string {
  return `t=${timestamp},v0=${computeSignature(body, secret, timestamp)}`;
}

/** Both headers of a delivery, from one HMAC. */
export function signatureHeaders(body: string, secret: string, timestamp: number): Record<string, string> {
  const signature = computeSignature(body, secret, timestamp);
  return { [SIGNATURE_HEADER]: `t=${timestamp},v1=${signature}`, [CREDYT_SIGNATURE_HEADER]: `t=${timestamp},v0=${signature}` };
}

/**
 * For platforms receiving Drawdown webhooks (and the tests): true when `header` carries a
 * `v1` signature of exactly `body` (the raw request body, before any JSON parsing) made
 * with `secret`, and its `t` is within `toleranceSeconds` of now (so a captured request
 * cannot be replayed later). Several `v1=` entries are allowed (any one matching is
 * enough) so that a secret can be rotated without downtime. Comparison is constant-time.
 * `Credyt-Signature`'s `v0=` entries (the same HMAC) are accepted as well.
 */
export function verifyDrawdownSignature(
  body: string,
  header: string | null | undefined,
  secret: string,
  toleranceSeconds = 300,
  now: Date = new Date(),
): boolean {
  if (!header) return false;
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === "t" && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if ((key === "v1" || key === "v0") && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  if (timestamp === undefined || signatures.length === 0) return false;
  if (Math.abs(Math.floor(now.getTime() / 1000) - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(computeSignature(body, secret, timestamp), "hex");
  return signatures.some((s) => timingSafeEqual(Buffer.from(s, "hex"), expected));
}
