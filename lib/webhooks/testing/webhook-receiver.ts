import http from "node:http";
import type { AddressInfo } from "node:net";

/** One request a receiver got, as the platform's server would see it. */
export interface ReceivedWebhook {
  headers: http.IncomingHttpHeaders;
  /** The raw body, exactly as sent (what the signature covers). */
  body: string;
  /** The body parsed: the envelope `{ id, type, created, live_mode, data }`. */
  envelope: { id: string; type: string; created: string; live_mode: boolean; data: Record<string, unknown> };
  /** What the receiver answered. */
  status: number;
}

/**
 * A platform's webhook endpoint for tests: a real node:http server on a free port that
 * records every request and answers with the next status of `statuses` (the last one
 * repeats; default always 200).
 */
export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** What the next requests are answered, in order; the last one repeats. */
  answerWith(...statuses: number[]): void;
  types(): string[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(path = "/webhooks/drawdown"): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let statuses = [200];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const status = statuses.length > 1 ? statuses.shift()! : statuses[0]!;
      let envelope: ReceivedWebhook["envelope"];
      try {
        envelope = JSON.parse(body) as ReceivedWebhook["envelope"];
      } catch {
        envelope = { id: "", type: "(not JSON)", created: "", live_mode: false, data: {} };
      }
      received.push({ headers: req.headers, body, envelope, status });
      res.writeHead(status, { "Content-Type": "text/plain" }).end(status < 300 ? "ok" : "receiver says no");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    received,
    answerWith(...next) {
      statuses = next.length ? next : [200];
    },
    types: () => received.map((r) => r.envelope.type),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
