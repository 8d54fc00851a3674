/**
 * Domain errors. Domain code (lib/*) throws these; the HTTP layer (lib/api) maps them to
 * RFC 9457 problem details. Anything else that escapes is a bug and answers 500.
 */
export interface FieldError {
  /** JSON pointer-ish path of the offending field, e.g. "events/0/occurred_at". */
  field: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  readonly errors: FieldError[];
  readonly extra: Record<string, unknown>;
  constructor(message: string, errors: FieldError[] = [], extra: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.errors = errors;
    this.extra = extra;
  }
}

/** 404. Also what another platform's (or customer's) id answers: indistinguishable from missing. */
export class NotFoundError extends DomainError {
  readonly status = 404;
  readonly code = "not_found";
}

/** 409: idempotency key reused with a different request, duplicate external_id, wrong state. */
export class ConflictError extends DomainError {
  readonly status = 409;
  readonly code = "conflict";
}

/** 422: well-formed but not acceptable (unknown asset, too many decimals, bad rate). */
export class ValidationError extends DomainError {
  readonly status = 422;
  readonly code = "validation_error";
}

/** 422 with code insufficient_funds: a charge past the overdraft limit. */
export class InsufficientFundsError extends DomainError {
  readonly status = 422;
  readonly code = "insufficient_funds";
}

/**
 * 503: the work could not be committed now (the database kept refusing it with
 * serialization failures past the retry budget). Nothing was written; the same request,
 * retried with its idempotency key after `retryAfterSeconds`, is safe.
 */
export class BusyError extends DomainError {
  readonly status = 503;
  readonly code = "busy";
  readonly retryAfterSeconds = 1;
}
