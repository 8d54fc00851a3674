/**
 * Verifies the `Drawdown-Signature` header of a webhook delivery with Web Crypto (Node 20+,
 * browsers, edge runtimes): `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`, keyed
 * with the endpoint's whole secret (`whsec_…`) as UTF-8. The same rules as the server's
 * lib/webhooks/signature.ts: any one of several `v1` entries may match (secret rotation),
 * `t` must be within `toleranceSeconds` (300) of now, and the comparison is constant-time
 * (`crypto.subtle.verify`). The `Credyt-Signature` header that every delivery also carries
 * (`t=…,v0=…`, the same HMAC) verifies the same way.
 */
export const SIGNATURE_HEADER = "Drawdown-Signature";
export const CREDYT_SIGNATURE_HEADER = "Credyt-Signature";

export interface VerifySignatureOptions {
  /** Largest accepted age (or clock skew) of the signature, in seconds (default 300). */
  toleranceSeconds?: number;
  /** The current time (tests). */
  now?: Date;
}

const encoder = new TextEncoder();

function hexToBytes(hex: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

function signedPayload(timestamp: number, rawBody: string | Uint8Array): Uint8Array<ArrayBuffer> {
  const prefix = encoder.encode(`${timestamp}.`);
  const body = typeof rawBody === "string" ? encoder.encode(rawBody) : rawBody;
  const out = new Uint8Array(prefix.length + body.length);
  out.set(prefix);
  out.set(body, prefix.length);
  return out;
}

/**
 * True when `header` carries a valid signature of exactly `rawBody` (the request body as
 * received, before any JSON parsing) made with `secret` within the tolerance.
 */
export async function verifyWebhookSignature(
  rawBody: string | Uint8Array,
  header: string | null | undefined,
  secret: string,
  options: VerifySignatureOptions = {},
): Promise<boolean> {
  if (!header || !secret) return false;
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
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? 300)) return false;

  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  const payload = signedPayload(timestamp, rawBody);
  for (const signature of signatures) {
    if (await crypto.subtle.verify("HMAC", key, hexToBytes(signature), payload)) return true;
  }
  return false;
}
