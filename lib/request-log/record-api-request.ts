import { env } from "@/lib/env";
import { onCloseDb, pool } from "@/lib/db";
import { logger } from "@/lib/observability/logger";
import type { Tenant } from "@/lib/tenant";

/**
 * The console's request log (Developers → Request log): one `api_requests` row per answered
 * `/api/v1` request of an authenticated platform, kept REQUEST_LOG_RETENTION_HOURS
 * (prune-api-requests.ts).
 *
 * It must cost the API nothing it can feel: a request only appends a row to an in-memory
 * buffer; the buffer is written every second (or as soon as BATCH_ROWS are waiting) in one
 * multi-row INSERT over `unnest` arrays, never awaited by a request. It is a log, not money:
 * a failed write is logged and its rows dropped, a full buffer drops its oldest rows
 * (counted in the log), and nothing here ever fails a request.
 *
 * Stored: method, the path without its query string, status, duration, the key's id, the
 * request id and, for an error, the problem type's last segment. Never bodies, headers,
 * keys or query strings: they can carry customers' emails and secrets.
 */

/** The request's caller: its platform and mode, and the API key it used. */
export interface RequestLogCaller extends Tenant {
  keyId: string;
}

interface LoggedRequest {
  platformId: string;
  liveMode: boolean;
  apiKeyId: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  requestId: string;
  errorCode: string | null;
  createdAt: Date;
}

/** Rows waiting before a write starts at once rather than at the next tick. */
const BATCH_ROWS = 500;
/** How often the buffer is written while rows wait. */
const FLUSH_INTERVAL_MS = 1000;
/** Rows held at most (a database that is down or slow): the oldest go first. */
const MAX_BUFFERED_ROWS = 10_000;
/** Paths are what the client sent; a longer one is cut (the column is text, the page a table). */
const MAX_PATH_LENGTH = 1000;

/**
 * The buffer lives on `globalThis`: Next.js may load lib/ more than once in one process
 * (docs/ARCHITECTURE.md "The production server"), and every copy should feed one buffer,
 * one timer and one writer, which the server's shutdown flushes (flushRequestLog).
 */
interface RequestLogState {
  rows: LoggedRequest[];
  /** Answers whose problem body is still being read for its type. */
  reading: Set<Promise<void>>;
  timer: NodeJS.Timeout | null;
  writing: Promise<void> | null;
  dropped: number;
  closeHookRegistered: boolean;
  /** Tests' override of REQUEST_LOG_RETENTION_HOURS (undefined: the environment's). */
  retentionHours?: number;
}

const globalForLog = globalThis as unknown as { __drawdownRequestLog?: RequestLogState };
const state: RequestLogState = (globalForLog.__drawdownRequestLog ??= {
  rows: [],
  reading: new Set(),
  timer: null,
  writing: null,
  dropped: 0,
  closeHookRegistered: false,
});

const log = logger("request-log");

/** How long rows are kept, in hours; 0: nothing is recorded. */
export function requestLogRetentionHours(): number {
  return state.retentionHours ?? env().REQUEST_LOG_RETENTION_HOURS;
}

/** For tests: another retention than the environment's (undefined restores it). */
export function setRequestLogRetentionHours(hours: number | undefined): void {
  state.retentionHours = hours;
}

/**
 * Runs `answer` (the rest of the request) and records what it answered, without waiting
 * for the record to be written. `answer` must not throw (the API wrapper passes its
 * problem-details fallback); if it does anyway, the error goes on unrecorded.
 */
export async function recordApiRequest(
  request: Request,
  caller: RequestLogCaller,
  requestId: string,
  answer: () => Promise<Response>,
): Promise<Response> {
  if (requestLogRetentionHours() === 0) return answer();
  const started = performance.now();
  const response = await answer();
  try {
    const row: LoggedRequest = {
      platformId: caller.platformId,
      liveMode: caller.liveMode,
      apiKeyId: caller.keyId,
      method: request.method,
      path: pathOf(request.url),
      status: response.status,
      durationMs: Math.round(performance.now() - started),
      requestId,
      errorCode: null,
      createdAt: new Date(),
    };
    if (response.status >= 400 && response.headers.get("content-type")?.includes("problem+json") && response.body) {
      // The problem's code is only in its body: read a copy after the answer left, off the request's path.
      const reading: Promise<void> = response
        .clone()
        .json()
        .then((problem: { type?: unknown }) => {
          row.errorCode = problemCode(problem.type);
        })
        .catch(() => undefined)
        .finally(() => {
          state.reading.delete(reading);
          enqueue(row);
        });
      state.reading.add(reading);
    } else {
      enqueue(row);
    }
  } catch (error) {
    log.error("could not record a request", { request_id: requestId, error });
  }
  return response;
}

/** The path the client asked for, without scheme, host, query string or fragment. */
export function pathOf(url: string): string {
  const scheme = url.indexOf("://");
  const start = scheme >= 0 ? url.indexOf("/", scheme + 3) : url.indexOf("/");
  if (start < 0) return "/";
  let end = url.length;
  for (const mark of ["?", "#"]) {
    const at = url.indexOf(mark, start);
    if (at >= 0 && at < end) end = at;
  }
  return url.slice(start, Math.min(end, start + MAX_PATH_LENGTH));
}

/** `https://drawdown.dev/problems/insufficient_funds` → `insufficient_funds`. */
function problemCode(type: unknown): string | null {
  if (typeof type !== "string" || !type) return null;
  return type.slice(type.lastIndexOf("/") + 1).slice(0, 100) || null;
}

function enqueue(row: LoggedRequest): void {
  state.rows.push(row);
  if (state.rows.length > MAX_BUFFERED_ROWS) {
    const over = state.rows.length - MAX_BUFFERED_ROWS;
    state.rows.splice(0, over);
    if (state.dropped === 0) log.warn("the request log's buffer is full; dropping its oldest rows");
    state.dropped += over;
  }
  if (!state.closeHookRegistered) {
    // Scripts and tests end with closeDb(): what is buffered is written before the pool closes.
    state.closeHookRegistered = true;
    onCloseDb(async () => {
      state.closeHookRegistered = false;
      await flushRequestLog();
    });
  }
  if (state.rows.length >= BATCH_ROWS && !state.writing) void writeBuffered();
  else scheduleWrite();
}

/** Arms the next tick's write unless one is armed. */
function scheduleWrite(): void {
  if (state.timer) return;
  state.timer = setTimeout(() => {
    state.timer = null;
    void writeBuffered();
  }, FLUSH_INTERVAL_MS);
  // A buffered row never keeps the process alive; the server flushes on its way out.
  state.timer.unref();
}

/**
 * Writes what is buffered, one statement at a time (a write already running is waited
 * for). Never throws: a failed batch is logged and dropped.
 */
function writeBuffered(): Promise<void> {
  if (state.writing) return state.writing;
  if (state.rows.length === 0) return Promise.resolve();
  const rows = state.rows;
  state.rows = [];
  if (state.timer) {
    clearTimeout(state.timer);
    state.timer = null;
  }
  if (state.dropped > 0) {
    log.warn("dropped request log rows: the buffer was full", { dropped: state.dropped });
    state.dropped = 0;
  }
  state.writing = insertRows(rows)
    .catch((error: unknown) => log.error("could not write the request log; dropped a batch", { rows: rows.length, error }))
    .finally(() => {
      state.writing = null;
      // Rows that arrived during the write wait for the next tick, or go now if a batch is full.
      if (state.rows.length >= BATCH_ROWS) void writeBuffered();
      else if (state.rows.length > 0) scheduleWrite();
    });
  return state.writing;
}

const INSERT = `
  INSERT INTO api_requests (platform_id, live_mode, api_key_id, method, path, status, duration_ms, request_id, error_code, created_at)
  SELECT * FROM unnest($1::text[], $2::boolean[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[], $8::text[], $9::text[], $10::timestamptz[])`;

async function insertRows(rows: LoggedRequest[]): Promise<void> {
  await pool().query(INSERT, [
    rows.map((r) => r.platformId),
    rows.map((r) => r.liveMode),
    rows.map((r) => r.apiKeyId),
    rows.map((r) => r.method),
    rows.map((r) => r.path),
    rows.map((r) => r.status),
    rows.map((r) => r.durationMs),
    rows.map((r) => r.requestId),
    rows.map((r) => r.errorCode),
    rows.map((r) => r.createdAt),
  ]);
}

/**
 * Writes everything recorded so far (answers still being read included) and resolves when
 * it is stored or dropped: the server's shutdown, closeDb() and tests call it.
 */
export async function flushRequestLog(): Promise<void> {
  for (let round = 0; round < 100; round++) {
    if (state.reading.size > 0) await Promise.all([...state.reading]);
    if (state.writing) await state.writing;
    if (state.rows.length === 0 && state.reading.size === 0) return;
    await writeBuffered();
  }
}

// The server's shutdown reaches the buffer through globalThis (server/ imports no lib/
// module that holds state: lib/request-log/flush-on-exit.ts).
(globalThis as unknown as { __drawdownFlushRequestLog?: () => Promise<void> }).__drawdownFlushRequestLog = flushRequestLog;
