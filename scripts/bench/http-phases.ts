import http from "node:http";
import autocannon, { type AutocannonOptions, type AutocannonResult } from "autocannon";
import { BENCH_VENDOR, EVENT_TYPE, type BenchCustomer } from "./fixtures";
import { countError, noErrors, type ErrorCounts, type LatencyFigure, type ThroughputFigure } from "./figures";
import { latencyFigure, paced } from "./pacing";

/**
 * The HTTP phases: `POST /api/v1/events` against the production server, driven by
 * autocannon's programmatic API (and, for the paced latency phase, node:http on a timer).
 * Every request body is generated per request with unique event ids `${tag}-${n}`, so the
 * database's usage_events can be matched to the phase afterwards (checks.ts).
 */

export interface HttpContext {
  url: string;
  apiKey: string;
  /** Event id prefix of this phase and run. */
  tag: string;
  log: (line: string) => void;
  /** Each event carries one vendor cost (`--costs`; the vendor is made by createFixtures). */
  costs?: boolean;
}

export interface HttpThroughput extends ThroughputFigure {
  /** Events the 200 answers reported `billed` (ops) vs requests that got any answer. */
  requests: number;
}

const REQUEST_TIMEOUT_S = 30;
const PACED_SOCKETS = 64;

const COSTS = [{ vendor_external_id: BENCH_VENDOR, amount: "0.0007", currency: "USD" }];

function eventsBody(customerId: string, ids: string[], occurredAt: string, costs = false): string {
  return JSON.stringify({
    customer_id: customerId,
    events: ids.map((id) => ({ id, event_type: EVENT_TYPE, occurred_at: occurredAt, ...(costs ? { costs: COSTS } : {}) })),
  });
}

/** Counts the events of one answer: billed ones are returned, everything else is an error. */
function tally(status: number, body: string, errors: ErrorCounts, log: (line: string) => void): number {
  if (status !== 200) {
    errors.non200++;
    countError(errors, `http_${status}`);
    if (errors.non200 <= 3) log(`non-200 answer ${status}: ${body.slice(0, 300)}`);
    return 0;
  }
  let billed = 0;
  const { results } = JSON.parse(body) as { results: { status: string; reason?: string }[] };
  for (const r of results) {
    if (r.status === "billed") billed++;
    else {
      errors.notBilled++;
      countError(errors, r.reason ? `${r.status}:${r.reason}` : r.status);
    }
  }
  return billed;
}

function runAutocannon(
  options: AutocannonOptions,
  onRequestError: (error: unknown) => void,
  onResponseTime?: (ms: number) => void,
): Promise<{ result: AutocannonResult; seconds: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const instance = autocannon({ timeout: REQUEST_TIMEOUT_S, ...options }, (error, result) =>
      error ? reject(error) : resolve({ result, seconds: (performance.now() - started) / 1000 }),
    );
    instance.on("reqError", onRequestError);
    if (onResponseTime) instance.on("response", (_client: unknown, _status: number, _bytes: number, ms: number) => onResponseTime(ms));
  });
}

/**
 * Requests of `eventsPerRequest` events (or one event) each, for the customers in turn,
 * from `connections` keep-alive connections for `seconds`; optionally at autocannon's
 * `overallRate`. Returns billed events per second and every error the clients saw.
 */
async function eventsLoad(
  ctx: HttpContext,
  customers: BenchCustomer[],
  eventsPerRequest: number,
  options: { connections: number; seconds: number; overallRate?: number },
  onResponseTime?: (ms: number) => void,
): Promise<HttpThroughput> {
  const errors = noErrors();
  const occurredAt = new Date().toISOString();
  let seq = 0;
  let next = 0;
  let ops = 0;
  let requests = 0;
  const { result, seconds } = await runAutocannon(
    {
      url: ctx.url,
      connections: options.connections,
      duration: options.seconds,
      ...(options.overallRate ? { overallRate: options.overallRate, ignoreCoordinatedOmission: true } : {}),
      headers: { authorization: `Bearer ${ctx.apiKey}`, "content-type": "application/json" },
      requests: [
        {
          method: "POST",
          path: "/api/v1/events",
          setupRequest: (request) => {
            const customer = customers[next++ % customers.length]!;
            const ids = Array.from({ length: eventsPerRequest }, () => `${ctx.tag}-${seq++}`);
            return { ...request, body: eventsBody(customer.id, ids, occurredAt, ctx.costs) };
          },
          onResponse: (status, body) => {
            requests++;
            ops += tally(status, body, errors, ctx.log);
          },
        },
      ],
    },
    (error) => countError(errors, `socket_error:${(error as { code?: string }).code ?? String(error)}`),
    onResponseTime,
  );
  errors.socketErrors += result.errors;
  return { ops, requests, seconds, perSecond: ops / seconds, errors };
}

/** (a) Batched ingestion: `eventsPerRequest` events per request across all customers. */
export function httpBatched(ctx: HttpContext, customers: BenchCustomer[], eventsPerRequest: number, connections: number, seconds: number): Promise<HttpThroughput> {
  return eventsLoad(ctx, customers, eventsPerRequest, { connections, seconds });
}

/** (b) One hot wallet: single-event requests from `connections` connections, one customer. */
export function httpHot(ctx: HttpContext, customer: BenchCustomer, connections: number, seconds: number): Promise<HttpThroughput> {
  return eventsLoad(ctx, [customer], 1, { connections, seconds });
}

/**
 * (c) Latency at autocannon's `overallRate`: single-event requests spread over the
 * customers. Latencies are the raw response times autocannon reports per response (its
 * own histogram "corrects" overallRate runs with an expected interval of ceil(1/rate) =
 * 1 ms, which floods it with synthetic samples, so it is not used).
 */
export async function httpBursts(ctx: HttpContext, customers: BenchCustomer[], rate: number, connections: number, seconds: number): Promise<LatencyFigure & { ops: number }> {
  const latencies: number[] = [];
  const figure = await eventsLoad(ctx, customers, 1, { connections, seconds, overallRate: rate }, (ms) => latencies.push(ms));
  return { ...latencyFigure(latencies, figure.seconds, figure.errors), ops: figure.ops };
}

/** POSTs `body` on a keep-alive agent; resolves with the status and text of the answer. */
export function post(agent: http.Agent, url: URL, apiKey: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: "POST",
        agent,
        headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json", "content-length": Buffer.byteLength(body) },
        timeout: REQUEST_TIMEOUT_S * 1000,
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
        response.on("error", reject);
      },
    );
    request.on("timeout", () => request.destroy(Object.assign(new Error("request timed out"), { code: "TIMEOUT" })));
    request.on("error", reject);
    request.end(body);
  });
}

/**
 * (c') Latency at an even rate: one single-event request every 1000/rate ms (open loop),
 * over at most PACED_SOCKETS keep-alive connections (a request waiting for a free one is
 * still timed from its scheduled send).
 */
export async function httpPaced(ctx: HttpContext, customers: BenchCustomer[], rate: number, seconds: number): Promise<LatencyFigure & { ops: number }> {
  const errors = noErrors();
  const occurredAt = new Date().toISOString();
  const agent = new http.Agent({ keepAlive: true, maxSockets: PACED_SOCKETS, scheduling: "lifo" });
  const url = new URL("/api/v1/events", ctx.url);
  let ops = 0;
  try {
    const figure = await paced(
      rate,
      seconds,
      async (i) => {
        const body = eventsBody(customers[i % customers.length]!.id, [`${ctx.tag}-${i}`], occurredAt, ctx.costs);
        const { status, text } = await post(agent, url, ctx.apiKey, body);
        const billed = tally(status, text, errors, ctx.log);
        ops += billed;
        if (billed !== 1) throw new NotBilled();
      },
      errors,
      (error) => {
        if (error instanceof NotBilled) return;
        errors.socketErrors++;
        countError(errors, `socket_error:${(error as { code?: string }).code ?? String(error)}`);
      },
    );
    return { ...figure, ops };
  } finally {
    agent.destroy();
  }
}

class NotBilled extends Error {}
