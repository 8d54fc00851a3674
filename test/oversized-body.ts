import http from "node:http";

/**
 * Sends a large body over a raw HTTP/1.1 connection, generated as it goes (the client never
 * holds it), either with `Content-Length` or chunked without one, and reports the answer
 * with how much of the body the client managed to hand to its socket before it: a server
 * that stops reading fills the socket buffers, so the client stalls far short of the total.
 * Used by the integration tests (test/api-server.ts) and the e2e spec on the production server.
 */
export interface OversizedAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Body bytes written to the socket when the answer arrived. */
  written: number;
  ms: number;
}

export const OVERSIZED_BYTES = 20 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, "a");

export function sendOversized(
  baseUrl: string,
  init: { method?: string; path: string; chunked: boolean; total?: number; headers?: Record<string, string> },
): Promise<OversizedAnswer> {
  const { hostname, port } = new URL(baseUrl);
  const total = init.total ?? OVERSIZED_BYTES;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    let written = 0;
    let answered = false;
    // A fresh keep-alive connection, as browsers and Stripe use: Node's server closes one
    // whose client sent `Connection: close` at once after the answer, and a client still
    // sending then may lose the answer to the reset (see server/api-router.ts closeWhenAnswered).
    const agent = new http.Agent({ keepAlive: true });
    const req = http.request({
      host: hostname,
      port,
      method: init.method ?? "POST",
      path: init.path,
      agent,
      // Chunked encoding is named: Node's client only chooses it by itself for methods with a body.
      headers: { "content-type": "application/json", ...init.headers, ...(init.chunked ? { "transfer-encoding": "chunked" } : { "content-length": String(total) }) },
    });
    const pump = () => {
      while (!answered && written < total) {
        written += CHUNK.length;
        if (!req.write(CHUNK)) {
          req.once("drain", pump);
          return;
        }
      }
      if (!answered) req.end();
    };
    req.on("response", (res) => {
      answered = true;
      const writtenAtAnswer = written;
      const ms = Date.now() - started;
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => {
        resolve({ status: res.statusCode!, headers: res.headers, body: text, written: writtenAtAnswer, ms });
        req.destroy();
        agent.destroy();
      });
      res.on("error", reject);
    });
    // Writing into a connection the server closed after answering is expected; an error
    // before any answer is a failure.
    req.on("error", (error) => {
      if (answered) return;
      agent.destroy();
      reject(error);
    });
    pump();
  });
}
