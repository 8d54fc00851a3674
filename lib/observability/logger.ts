/**
 * The app's log lines. With LOG_FORMAT=json each is one JSON object on one line
 * (`{"time","level","scope","msg",...fields}`, an error as `{name,message,code,stack}`),
 * for log collectors; otherwise the readable `[scope] message` lines of a terminal.
 * Lines about a request carry its `request_id`, the id the client got in X-Request-Id
 * and in problem bodies.
 *
 * LOG_FORMAT is read from process.env directly (not lib/env): logging must work while the
 * environment itself is being reported invalid.
 */
import { format } from "node:util";

export type LogLevel = "info" | "warn" | "error";
export type LogFields = { request_id?: string; error?: unknown } & Record<string, unknown>;

export interface Logger {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

export function logger(scope: string): Logger {
  return {
    info: (msg, fields) => writeLog("info", scope, msg, fields),
    warn: (msg, fields) => writeLog("warn", scope, msg, fields),
    error: (msg, fields) => writeLog("error", scope, msg, fields),
  };
}

export function jsonLogs(): boolean {
  return process.env.LOG_FORMAT === "json";
}

function writeLog(level: LogLevel, scope: string, msg: string, fields: LogFields = {}): void {
  const { error, ...rest } = fields;
  if (jsonLogs()) {
    const line = { time: new Date().toISOString(), level, scope, msg, ...rest, ...(error === undefined ? {} : { error: errorFields(error) }) };
    (level === "info" ? process.stdout : process.stderr).write(safeStringify(line) + "\n");
    return;
  }
  const context = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === "string" ? v : safeStringify(v)}`);
  const text = `[${scope}] ${msg}${context.length > 0 ? ` (${context.join(", ")})` : ""}`;
  const write = level === "info" ? console.log : level === "warn" ? console.warn : console.error;
  if (error === undefined) write(text);
  else write(text, error);
}

/** An error as plain fields (JSON.stringify of an Error is `{}`), its causes included. */
export function errorFields(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error) && (error === null || typeof error !== "object")) return String(error);
  const e = error as Error & { code?: unknown; cause?: unknown };
  return {
    name: e.name,
    message: e.message,
    ...(e.code === undefined ? {} : { code: e.code }),
    ...(e.stack ? { stack: e.stack } : {}),
    ...(e.cause !== undefined && depth < 3 ? { cause: errorFields(e.cause, depth + 1) } : {}),
  };
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  } catch {
    return JSON.stringify(String(value));
  }
}

/**
 * With LOG_FORMAT=json, makes console.* write JSON lines too, so what Next.js and the
 * libraries print (they log through console) does not break a collector's parsing. Called
 * once by the production server (server/main.ts) at start.
 */
export function routeConsoleToJsonLogs(): void {
  if (!jsonLogs()) return;
  const as = (level: LogLevel) => (...args: unknown[]) => {
    const error = args.find((a) => a instanceof Error);
    // As console would print it: printf-style arguments ("[%s] %s", as graphile-worker logs) filled in.
    const text = format(...args.filter((a) => a !== error).map((a) => (typeof a === "object" && a !== null ? inspect(a) : a)));
    const scoped = /^\[([\w-]+)\] ?([\s\S]*)$/.exec(text);
    writeLog(level, scoped?.[1] ?? "console", (scoped?.[2] ?? text).replace(/:\s*$/, ""), error === undefined ? {} : { error });
  };
  console.log = as("info");
  console.info = as("info");
  console.warn = as("warn");
  console.error = as("error");
}

function inspect(value: unknown): string {
  if (value instanceof Error) return value.message;
  return typeof value === "object" ? safeStringify(value) : String(value);
}
