import { toCamelCase, toSnakeCase } from "./casing.js";
import { apiErrorFor, DrawdownConnectionError, type DrawdownApiError, type ProblemDetails } from "./errors.js";
import type { HttpMethod } from "./types.js";

export interface DrawdownClientOptions {
  /** A Drawdown API key (`dd_test_…` or `dd_live_…`), sent as `Authorization: Bearer`. */
  apiKey: string;
  /** The Drawdown app's URL, e.g. `https://billing.example.com`; `/api/v1` is added unless present. */
  baseUrl: string;
  /** Retries after the first attempt for network errors, timeouts, 409 in flight, 429 and 5xx (default 2). */
  maxRetries?: number;
  /** Per-attempt timeout in milliseconds (default 60,000). */
  timeoutMs?: number;
  /** First backoff delay in milliseconds, doubled per retry with jitter (default 500). */
  retryDelayMs?: number;
  /** Longest wait between attempts, also caps `Retry-After` (default 30,000 ms). */
  maxRetryDelayMs?: number;
  /** A `fetch` implementation (default: the global one). */
  fetch?: typeof fetch;
}

/** Per-call options, the last argument of every method. */
export interface RequestOptions {
  /**
   * The `Idempotency-Key` for calls that send one (top-ups, customers, assets, products,
   * portal sessions, webhooks): by default a random UUID per call, reused by its retries.
   * Pass your own to make a call safe to repeat across processes (e.g. an order id).
   */
  idempotencyKey?: string;
  maxRetries?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * How a repeat of the request is made safe: `"read"` (GET, or a POST that changes
 * nothing), `"natural"` (the body carries the API's own idempotency id: an event's `id`,
 * an adjustment's `transaction_id`), `"key"` (the SDK sends an `Idempotency-Key`).
 * Every request of the API is one of these, so every request is retried.
 */
export type RepeatSafety = "read" | "natural" | "key";

export interface ApiRequest {
  method: HttpMethod;
  /** OpenAPI path, e.g. `/customers/{id}`. */
  path: string;
  pathParams?: Record<string, string | number>;
  query?: object;
  body?: unknown;
  safety: RepeatSafety;
  options?: RequestOptions;
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
const IN_FLIGHT_TYPE = "https://drawdown.dev/problems/idempotency_key_in_use";

/** The transport: URL building, casing, retries with backoff, problem details → errors. */
export class HttpClient {
  private readonly apiBase: string;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly config: DrawdownClientOptions) {
    if (!config.apiKey) throw new TypeError("DrawdownClient: apiKey is required");
    if (!config.baseUrl) throw new TypeError("DrawdownClient: baseUrl is required");
    const base = config.baseUrl.replace(/\/+$/, "");
    this.apiBase = base.endsWith("/api/v1") ? base : `${base}/api/v1`;
    this.fetchImpl = config.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** Sends the request (retrying when that is safe and useful); the camelCased JSON answer. */
  async request<T>(req: ApiRequest): Promise<T> {
    const url = this.url(req);
    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.config.apiKey}`,
      Accept: "application/json",
    };
    let body: string | undefined;
    if (req.body !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(toSnakeCase(req.body));
    }
    // One key per logical call: every retry of it carries the same one.
    if (req.safety === "key") headers["Idempotency-Key"] = req.options?.idempotencyKey ?? crypto.randomUUID();

    const maxRetries = req.options?.maxRetries ?? this.config.maxRetries ?? 2;
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.attempt(url, req.method, headers, body, req.options);
      if (outcome.kind === "ok") return toCamelCase(outcome.json) as T;
      if (attempt >= maxRetries || !outcome.retryable || req.options?.signal?.aborted) throw outcome.error;
      await sleep(this.delay(attempt, outcome.retryAfterMs), req.options?.signal);
    }
  }

  private url(req: ApiRequest): string {
    const path = req.path.replace(/\{(\w+)\}/g, (_match, name: string) => {
      const value = req.pathParams?.[name];
      if (value === undefined || value === "") throw new TypeError(`${req.path}: missing path parameter ${name}`);
      return encodeURIComponent(String(value));
    });
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(toSnakeCase(req.query ?? {}) as Record<string, unknown>)) {
      if (value !== undefined && value !== null) search.set(key, String(value));
    }
    const qs = search.toString();
    return `${this.apiBase}${path}${qs ? `?${qs}` : ""}`;
  }

  private async attempt(
    url: string,
    method: HttpMethod,
    headers: Record<string, string>,
    body: string | undefined,
    options: RequestOptions | undefined,
  ): Promise<
    | { kind: "ok"; json: unknown }
    | { kind: "error"; error: DrawdownApiError | DrawdownConnectionError; retryable: boolean; retryAfterMs?: number }
  > {
    const timeout = AbortSignal.timeout(options?.timeoutMs ?? this.config.timeoutMs ?? 60_000);
    const signal = options?.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let response: Response;
    let text: string;
    try {
      response = await this.fetchImpl(url, { method: method.toUpperCase(), headers, body, signal });
      text = await response.text();
    } catch (cause) {
      const aborted = options?.signal?.aborted === true;
      const what = aborted ? "aborted" : timeout.aborted ? "timed out" : "failed";
      return {
        kind: "error",
        error: new DrawdownConnectionError(`${method.toUpperCase()} ${url} ${what}: ${describe(cause)}`, { cause }),
        retryable: !aborted,
      };
    }
    if (response.ok) return { kind: "ok", json: text ? parseJson(text) : undefined };

    const error = apiErrorFor(problemOf(response, text), response.headers);
    const inFlight = response.status === 409 && error.type === IN_FLIGHT_TYPE;
    return {
      kind: "error",
      error,
      retryable: inFlight || RETRYABLE_STATUS.has(response.status),
      retryAfterMs: retryAfterMs(response.headers.get("retry-after")),
    };
  }

  /** Exponential backoff with full jitter; `Retry-After` (capped) when the server sent one. */
  private delay(attempt: number, retryAfter: number | undefined): number {
    const cap = this.config.maxRetryDelayMs ?? 30_000;
    if (retryAfter !== undefined) return Math.min(retryAfter, cap);
    const base = (this.config.retryDelayMs ?? 500) * 2 ** attempt;
    return Math.min(cap, base / 2 + Math.random() * (base / 2));
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The problem details of an error answer; a made-up one when a proxy answered non-JSON. */
function problemOf(response: Response, text: string): ProblemDetails {
  const json = parseJson(text);
  if (json && typeof json === "object" && typeof (json as { status?: unknown }).status === "number") {
    return toCamelCase(json) as ProblemDetails;
  }
  return {
    type: "about:blank",
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
    detail: typeof json === "string" && json ? json.slice(0, 500) : `The server answered ${response.status}.`,
  };
}

/** `Retry-After` as delta-seconds or an HTTP date, in milliseconds. */
function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function describe(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as { cause?: unknown }).cause;
    return inner instanceof Error ? `${cause.message} (${inner.message})` : cause.message;
  }
  return String(cause);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
