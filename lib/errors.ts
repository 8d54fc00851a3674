/**
 * Domain errors. Domain code (lib/*) throws these with a stable `code`; the HTTP layer
 * maps each code to its status in one table (`domainErrorStatus` in lib/api/problem.ts)
 * and renders RFC 9457 problem details. Domain code knows nothing of HTTP, so the console
 * and jobs read the same errors. Anything else that escapes is a bug and answers 500.
 */
export interface FieldError {
  /** JSON pointer-ish path of the offending field, e.g. "events/0/occurred_at". */
  field: string;
  message: string;
}

/**
 * Every code a DomainError carries. A new code is added here, and the type checker then
 * asks for its status in lib/api/problem.ts.
 */
export type DomainErrorCode =
  | "not_found"
  | "conflict"
  | "validation_error"
  | "insufficient_funds"
  | "amount_too_large"
  | "balance_limit_exceeded"
  | "busy";

export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;
  readonly errors: FieldError[];
  readonly extra: Record<string, unknown>;
  constructor(message: string, errors: FieldError[] = [], extra: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.errors = errors;
    this.extra = extra;
  }
}

/** Absent. Also what another platform's (or customer's) id is: indistinguishable from missing. */
export class NotFoundError extends DomainError {
  readonly code = "not_found";
}

/** An idempotency key reused with a different request, a duplicate external_id, a wrong state. */
export class ConflictError extends DomainError {
  readonly code = "conflict";
}

/** Well-formed but not acceptable (unknown asset, too many decimals, bad rate). */
export class ValidationError extends DomainError {
  readonly code = "validation_error";
}

/** A charge past the overdraft limit. */
export class InsufficientFundsError extends DomainError {
  readonly code = "insufficient_funds";
}

/**
 * The work could not be committed now (the database kept refusing it, with deadlocks or
 * racing inserts, past the retry budget, or another process held the customer's ledger
 * lock past LEDGER_LOCK_TIMEOUT_MS). Nothing was written; the same request, retried with
 * its idempotency key after `retryAfterSeconds`, is safe.
 */
export class BusyError extends DomainError {
  readonly code = "busy";
  readonly retryAfterSeconds = 1;
}
