import { createHmac } from "node:crypto";

/** The header every delivery carries: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`. */
export const SIGNATURE_HEADER = "Drawdown-Signature";

/** The `v1` signature: hex HMAC-SHA256, keyed with the whole secret (`whsec_…`, as UTF-8), of `${t}.${body}`. */
export function computeSignature(body: string, secret: string, timestamp: number): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`, "utf8").digest("hex");
}

/**
 * The `Drawdown-Signature` value for `body` sent at `timestamp` (unix seconds). Receivers
 * verify it with the SDK (sdk/src/webhook-signature.ts), the one verifier.
 */
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

