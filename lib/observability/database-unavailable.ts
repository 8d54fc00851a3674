/**
 * Whether `error` means the database could not be reached or could not hand out a
 * connection in time, as opposed to a query that failed: such a request did nothing, and
 * the same request later may well succeed, so the API answers 503 with Retry-After
 * (lib/api/route.ts errorResponse) instead of 500, clients and SDKs retry, and load
 * balancers route around the instance.
 *
 * Recognised by name, code and message, never `instanceof`: the production server holds
 * two copies of lib/ (and of pg and Prisma), docs/ARCHITECTURE.md "The production server".
 * Causes are followed (Prisma's driver adapter and AggregateError wrap the pg error).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const e = queue.shift();
    if (e === null || typeof e !== "object" || seen.has(e)) continue;
    seen.add(e);
    if (isUnavailableItself(e as Inspectable)) return true;
    // Prisma's driver-adapter errors keep the pg error under meta.driverAdapterError.cause.
    const { cause, errors, meta, driverAdapterError } = e as { cause?: unknown; errors?: unknown; meta?: unknown; driverAdapterError?: unknown };
    queue.push(cause, meta, driverAdapterError);
    if (Array.isArray(errors)) queue.push(...errors);
  }
  return false;
}

interface Inspectable {
  name?: unknown;
  code?: unknown;
  kind?: unknown;
  errorCode?: unknown;
  originalCode?: unknown;
  message?: unknown;
}

/** Node's socket and DNS errors on connect (pg passes them through). */
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EPIPE"]);

/**
 * PostgreSQL's own refusals: class 08 (connection exception); the server shutting down
 * (57P01 admin, 57P02 crash) or still starting (57P03); too many connections (53300).
 */
const SQLSTATES = new Set(["57P01", "57P02", "57P03", "53300"]);

/**
 * Prisma: P1001 can't reach, P1002 timed out, P1017 server closed the connection, P2024
 * pool timeout. With @prisma/adapter-pg the error carries the adapter's `kind` instead.
 */
const PRISMA_CODES = new Set(["P1001", "P1002", "P1017", "P2024"]);
const ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);

/**
 * pg's own messages, which carry no code: a connection lost mid-query ("Connection
 * terminated unexpectedly"), connectionTimeoutMillis passing ("Connection terminated due
 * to connection timeout", "timeout exceeded when trying to connect"), a pool already ended
 * or a client used after its connection broke.
 */
const PG_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /^Client has encountered a connection error and is not queryable/,
  /^Cannot use a pool after calling end on the pool/,
];

/** A SQLSTATE that means the server refused or dropped the connection. */
function isUnavailableState(state: string): boolean {
  return SQLSTATES.has(state) || /^08[0-9A-Z]{3}$/.test(state);
}

/** How Prisma prints a driver error it wraps: "Database error. Code: `57P01`. Message: …". */
const PRISMA_DATABASE_ERROR = /Database error\. Code: `([0-9A-Z]{5})`/;

function isUnavailableItself(e: Inspectable): boolean {
  const code = typeof e.code === "string" ? e.code : undefined;
  if (code && (SOCKET_CODES.has(code) || isUnavailableState(code))) return true;
  if (typeof e.originalCode === "string" && isUnavailableState(e.originalCode)) return true;
  if (e.name === "PrismaClientInitializationError") return true;
  if (typeof e.name === "string" && e.name.startsWith("PrismaClient")) {
    if (code && PRISMA_CODES.has(code)) return true;
    if (typeof e.errorCode === "string" && PRISMA_CODES.has(e.errorCode)) return true;
  }
  if (typeof e.kind === "string" && ADAPTER_KINDS.has(e.kind)) return true;
  const message = typeof e.message === "string" ? e.message : "";
  const wrapped = PRISMA_DATABASE_ERROR.exec(message)?.[1];
  if (wrapped && typeof e.name === "string" && e.name.startsWith("PrismaClient") && isUnavailableState(wrapped)) return true;
  return PG_MESSAGES.some((pattern) => pattern.test(message));
}
