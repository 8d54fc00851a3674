import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { checkWebhookUrl, isAllowedAddress, webhookDestinationPolicy, type WebhookDestinationPolicy } from "./webhook-destination-policy";

/** What one POST to an endpoint came to, as the attempt log keeps it. */
export interface WebhookRequestResult {
  ok: boolean;
  /** The answer's status; null when none came (refused destination, connection error, timeout). */
  statusCode: number | null;
  /** Null on a 2xx; otherwise a short reason that says nothing about the network behind it. */
  error: string | null;
}

/** A destination refused by the policy: its message is the generic reason logged. */
class DestinationRefusedError extends Error {
  constructor(readonly logReason: string) {
    super(logReason);
    this.name = "DestinationRefusedError";
  }
}

class DeliveryTimeoutError extends Error {
  constructor() {
    super("timed out");
    this.name = "DeliveryTimeoutError";
  }
}

/**
 * POSTs `body` to `url`, unless the destination policy refuses it, within `timeoutMs` (the
 * whole exchange: connect, send, answer, snippet). Redirects are not followed.
 *
 * Guarantees: bytes only ever go to an address the policy allows. The URL is checked first
 * (scheme, IP-literal host, internal names); a host name is resolved by `webhookLookup`,
 * which checks every address it resolves to and hands the socket only those, so the
 * address checked is the address connected to (no window for DNS rebinding between check
 * and connect). Only an allowed exchange's answer is read: up to `snippetChars` of a
 * non-2xx body goes into the error, nothing at all of a refused one.
 */
export async function sendWebhookRequest(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; snippetChars: number; policy?: WebhookDestinationPolicy },
): Promise<WebhookRequestResult> {
  const policy = options.policy ?? webhookDestinationPolicy();
  const refusal = checkWebhookUrl(url, policy);
  if (refusal) return { ok: false, statusCode: null, error: refusal.logReason };
  const target = new URL(url);
  const transport = target.protocol === "https:" ? https : http;

  return new Promise<WebhookRequestResult>((resolve) => {
    let settled = false;
    const finish = (result: WebhookRequestResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve(result);
    };
    const fail = (error: unknown) => finish({ ok: false, statusCode: null, error: describeError(error) });

    const request = transport.request(target, {
      method: "POST",
      headers: { ...headers, "Content-Length": String(Buffer.byteLength(body)) },
      lookup: webhookLookup(policy),
      // A connection per attempt, closed with it: the answer's body is read only as far as
      // the snippet (a pooled socket would need it drained), and attempts are seconds apart.
      agent: false,
    });
    const timer = setTimeout(() => fail(new DeliveryTimeoutError()), options.timeoutMs);
    request.on("error", fail);
    request.on("response", (response) => {
      const statusCode = response.statusCode ?? 0;
      const ok = statusCode >= 200 && statusCode < 300;
      if (ok || options.snippetChars === 0) {
        finish({ ok, statusCode, error: ok ? null : `HTTP ${statusCode}` });
        return;
      }
      // Up to snippetChars characters of the body (the rest is not read), so a huge answer costs nothing.
      const chunks: Buffer[] = [];
      let bytes = 0;
      const maxBytes = options.snippetChars * 4;
      const done = () => {
        const snippet = Buffer.concat(chunks).subarray(0, maxBytes).toString("utf8").slice(0, options.snippetChars).trim();
        finish({ ok, statusCode, error: `HTTP ${statusCode}${snippet ? `: ${snippet}` : ""}` });
      };
      response.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        bytes += chunk.length;
        if (bytes >= maxBytes) done();
      });
      response.on("end", done);
      // a body cut short still leaves what was read
      response.on("error", done);
      response.on("aborted", done);
    });
    request.end(body);
  });
}

/**
 * A `lookup` for the socket that resolves with the policy's resolver and refuses the
 * connection unless every address is allowed (one bad address is enough: a round-robin
 * or rebinding name could hand the socket any of them). The socket connects to the
 * addresses returned here and no others.
 */
function webhookLookup(policy: WebhookDestinationPolicy): LookupFunction {
  return (hostname, options, callback) => {
    policy.resolve(hostname).then(
      (addresses) => {
        if (addresses.length === 0) {
          callback(Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }), "", 0);
          return;
        }
        if (!addresses.every((a) => isAllowedAddress(a.address, policy))) {
          callback(new DestinationRefusedError("destination not allowed: resolves to a non-public address"), "", 0);
          return;
        }
        const family = options.family === 4 || options.family === "IPv4" ? 4 : options.family === 6 || options.family === "IPv6" ? 6 : 0;
        const usable = family ? addresses.filter((a) => a.family === family) : addresses;
        if (usable.length === 0) {
          callback(Object.assign(new Error(`no IPv${family} address for ${hostname}`), { code: "ENOTFOUND" }), "", 0);
        } else if (options.all) {
          callback(null, usable);
        } else {
          callback(null, usable[0]!.address, usable[0]!.family);
        }
      },
      (error: unknown) => callback(error as NodeJS.ErrnoException, "", 0),
    );
  };
}

const DNS_ERRORS = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EAI_NODATA", "EAI_NONAME"]);

/**
 * A reason for the log that tells the platform what kind of failure it was and nothing
 * about the network behind it: no addresses, ports or system error text (which would turn
 * the log into a port scanner).
 */
function describeError(error: unknown): string {
  if (error instanceof DestinationRefusedError) return error.logReason;
  if (error instanceof DeliveryTimeoutError) return "timed out";
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string") {
    if (DNS_ERRORS.has(code)) return "host not found";
    if (/CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY|HOSTNAME_MISMATCH/.test(code)) return "TLS handshake failed";
  }
  return "connection failed";
}
