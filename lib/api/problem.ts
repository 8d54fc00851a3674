import type { z } from "zod";
import type { DomainErrorCode, FieldError } from "@/lib/errors";
import { logger } from "@/lib/observability/logger";

/**
 * RFC 9457 problem details, the body of every error the API answers:
 * `{ type, title, status, detail, errors?, request_id, ...extra }` as
 * `application/problem+json`. `type` is a stable URI per error code; clients branch on it
 * (or on `code`-like suffix), never on `detail`, which is prose.
 */
export const PROBLEM_CONTENT_TYPE = "application/problem+json";
const TYPE_BASE = "https://drawdown.dev/problems/";

export function problemType(code: string): string {
  return TYPE_BASE + code;
}

const titles: Record<string, string> = {
  malformed_request: "Malformed request",
  unauthorized: "Unauthorized",
  not_found: "Not found",
  method_not_allowed: "Method not allowed",
  conflict: "Conflict",
  payload_too_large: "Payload too large",
  unsupported_media_type: "Unsupported media type",
  validation_error: "Validation failed",
  insufficient_funds: "Insufficient funds",
  rate_limited: "Too many requests",
  unavailable: "Service unavailable",
  internal_error: "Internal server error",
};

/** A title for a code; unknown codes (new DomainError subclasses) get a readable default. */
export function problemTitle(code: string): string {
  return titles[code] ?? code.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
}

/**
 * The HTTP status of each domain error code (lib/errors.ts): domain code names what went
 * wrong, the edge decides how HTTP says it. 404 is also another platform's id; 422 covers
 * every well-formed request the domain refuses; 503 `busy` is retryable (Retry-After).
 */
const domainErrorStatuses: Record<DomainErrorCode, number> = {
  not_found: 404,
  conflict: 409,
  validation_error: 422,
  insufficient_funds: 422,
  amount_too_large: 422,
  balance_limit_exceeded: 422,
  busy: 503,
};

export function domainErrorStatus(code: DomainErrorCode): number {
  return domainErrorStatuses[code];
}

/**
 * An HTTP-layer failure (bad header, bad body, rate limit) carried as an exception so the
 * small helpers in lib/api can stop a request from anywhere; `apiRoute` renders it.
 * Domain code throws `DomainError` (lib/errors.ts) instead, never this.
 */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    readonly errors: FieldError[] = [],
    readonly headers: Record<string, string> = {},
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = "ApiProblem";
  }
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  request_id: string;
  [extra: string]: unknown;
}

export function problemResponse(
  init: {
    status: number;
    code: string;
    detail: string;
    errors?: FieldError[];
    extra?: Record<string, unknown>;
    headers?: Record<string, string>;
  },
  requestId: string,
): Response {
  const body: ProblemBody = {
    // extra first: it may add fields, never replace the standard ones
    ...init.extra,
    type: problemType(init.code),
    title: problemTitle(init.code),
    status: init.status,
    detail: init.detail,
    ...(init.errors && init.errors.length > 0 ? { errors: init.errors } : {}),
    request_id: requestId,
  };
  return new Response(JSON.stringify(body), {
    status: init.status,
    headers: { ...init.headers, "Content-Type": PROBLEM_CONTENT_TYPE, "X-Request-Id": requestId },
  });
}

export function renderProblem(p: ApiProblem, requestId: string): Response {
  return problemResponse(
    { status: p.status, code: p.code, detail: p.message, errors: p.errors, extra: p.extra, headers: p.headers },
    requestId,
  );
}

/** Zod issues as per-field errors: path joined with "/" ("events/0/amount"). */
export function fieldErrors(error: z.ZodError, prefix = ""): FieldError[] {
  const join = (path: PropertyKey[]) => [prefix, ...path.map(String)].filter((s) => s !== "").join("/");
  return error.issues.flatMap((issue): FieldError[] => {
    // One entry per unknown key, so a client sees which field to remove.
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ field: join([...issue.path, key]), message: "Unknown field" }));
    }
    return [{ field: join(issue.path), message: issue.message }];
  });
}

/**
 * Field errors as one sentence for people reading `detail` ("customer_id is required;
 * ammount is not a field of this request"); clients read `errors[]`.
 */
export function describeFieldErrors(errors: readonly FieldError[], max = 5): string {
  const parts = errors.slice(0, max).map(({ field, message }) => {
    if (!field) return message;
    if (message === "Required") return `${field} is required`;
    if (message === "Unknown field") return `${field} is not a field of this request`;
    return `${field}: ${message}`;
  });
  const more = errors.length > max ? ` (and ${errors.length - max} more)` : "";
  return parts.join("; ") + more;
}

/** Builders for the HTTP layer's own problems. Each returns an `ApiProblem` to throw. */
export const problems = {
  malformedJson: (detail = "The request body is not valid JSON.") =>
    new ApiProblem(400, "malformed_request", detail),
  unauthorized: (
    detail = "Send a valid API key as `Authorization: Bearer <key>`, `X-API-Key: <key>` or `X-CREDYT-API-KEY: <key>`.",
  ) =>
    new ApiProblem(401, "unauthorized", detail, [], { "WWW-Authenticate": 'Bearer realm="drawdown"' }),
  notFound: (detail = "No such resource.") => new ApiProblem(404, "not_found", detail),
  unknownQueryParameters: (names: string[], known: string) =>
    new ApiProblem(
      400,
      "malformed_request",
      `Unknown query parameter${names.length > 1 ? "s" : ""}: ${names.join(", ")}. This endpoint takes: ${known || "none"}.`,
      names.map((field) => ({ field, message: "Unknown query parameter" })),
    ),
  methodNotAllowed: (allow: string[]) =>
    new ApiProblem(405, "method_not_allowed", `Allowed methods: ${allow.join(", ")}.`, [], {
      Allow: allow.join(", "),
    }),
  conflict: (detail: string, extra: Record<string, unknown> = {}) => new ApiProblem(409, "conflict", detail, [], {}, extra),
  // Connection: close, because the rest of the body is left unread (lib/api/body.ts readBytes).
  payloadTooLarge: (maxBytes: number) =>
    new ApiProblem(413, "payload_too_large", `The request body exceeds ${maxBytes} bytes.`, [], { Connection: "close" }, { max_bytes: maxBytes }),
  unsupportedMediaType: (contentType: string) =>
    new ApiProblem(415, "unsupported_media_type", `Expected application/json, got ${contentType}.`),
  validation: (error: z.ZodError, prefix = "", detail = "The request has invalid fields.") => {
    const errors = fieldErrors(error, prefix);
    return new ApiProblem(422, "validation_error", `${detail.replace(/\.$/, "")}: ${describeFieldErrors(errors)}.`, errors);
  },
  rateLimited: (retryAfterSeconds: number) =>
    new ApiProblem(429, "rate_limited", `Rate limit exceeded; retry in ${retryAfterSeconds} s.`, [], {
      "Retry-After": String(retryAfterSeconds),
    }),
  /**
   * The database could not be reached, or no connection was free in time
   * (lib/observability/database-unavailable.ts). Says nothing of the cause, which the log
   * has, and does not claim nothing was done: a request of several writes may have made
   * its first before the database went away. Retrying with the same idempotency makes it
   * exact.
   */
  unavailable: () =>
    new ApiProblem(
      503,
      "unavailable",
      `The service is temporarily unavailable. Retry in ${UNAVAILABLE_RETRY_AFTER_SECONDS} s with the same Idempotency-Key or ids, which makes the retry safe.`,
      [],
      { "Retry-After": String(UNAVAILABLE_RETRY_AFTER_SECONDS) },
    ),
};

/** A database restart takes a few seconds; a client should not hammer it meanwhile. */
const UNAVAILABLE_RETRY_AFTER_SECONDS = 2;

const log = logger("api");

/**
 * 500 for anything unexpected. The body says nothing about the cause (no message, no
 * stack: they can hold SQL, ids of other tenants, secrets); the log has it, under the
 * same request id the client sees.
 */
export function internalErrorResponse(error: unknown, requestId: string): Response {
  log.error("request failed", { request_id: requestId, error });
  return problemResponse(
    {
      status: 500,
      code: "internal_error",
      detail: "An unexpected error occurred. Quote the request id when reporting it.",
    },
    requestId,
  );
}
