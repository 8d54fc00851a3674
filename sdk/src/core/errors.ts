/**
 * Everything the SDK throws is a `DrawdownError`. An answer of the API that is not a
 * success is a `DrawdownApiError` (a subclass per status) carrying the RFC 9457 problem
 * details; a request that never got an answer is a `DrawdownConnectionError`.
 */
export class DrawdownError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export interface FieldError {
  /** Path of the offending value, e.g. `destination/exchange_rate` (the API's field names). */
  field: string;
  message: string;
}

/** The problem details of an error answer, camelCased (`request_id` → `requestId`). */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  requestId?: string;
  [extra: string]: unknown;
}

export class DrawdownApiError extends DrawdownError {
  readonly status: number;
  /** Stable URI per error, e.g. `https://drawdown.dev/problems/validation_error`: branch on this. */
  readonly type: string;
  readonly title: string;
  readonly detail: string;
  readonly errors: FieldError[];
  readonly requestId: string | undefined;
  /** The whole problem body, including fields beyond the standard ones (e.g. `existingId`). */
  readonly problem: ProblemDetails;
  readonly headers: Headers;

  constructor(problem: ProblemDetails, headers: Headers) {
    super(`${problem.status} ${problem.title}: ${problem.detail}`);
    this.status = problem.status;
    this.type = problem.type;
    this.title = problem.title;
    this.detail = problem.detail;
    this.errors = problem.errors ?? [];
    this.requestId = problem.requestId;
    this.problem = problem;
    this.headers = headers;
  }

  /** The last path segment of `type`: `validation_error`, `insufficient_funds`, … */
  get code(): string {
    return this.type.slice(this.type.lastIndexOf("/") + 1);
  }
}

/** 400: the body is not JSON. */
export class DrawdownBadRequestError extends DrawdownApiError {}
/** 401: missing, unknown or revoked API key. */
export class DrawdownAuthenticationError extends DrawdownApiError {}
/** 404: no such resource (also another platform's id). */
export class DrawdownNotFoundError extends DrawdownApiError {}
/** 409: an idempotency conflict or a duplicate (e.g. `external_id`). */
export class DrawdownConflictError extends DrawdownApiError {}
/** 422: validation failed; `errors` names the fields. Also `insufficient_funds`. */
export class DrawdownValidationError extends DrawdownApiError {}
/** 429: rate limited (after the SDK's retries). */
export class DrawdownRateLimitError extends DrawdownApiError {}
/** 5xx (after the SDK's retries). */
export class DrawdownServerError extends DrawdownApiError {}

/** No answer: network failure, timeout (after the SDK's retries), or the caller aborted. */
export class DrawdownConnectionError extends DrawdownError {}

const byStatus: Record<number, typeof DrawdownApiError> = {
  400: DrawdownBadRequestError,
  401: DrawdownAuthenticationError,
  404: DrawdownNotFoundError,
  409: DrawdownConflictError,
  422: DrawdownValidationError,
  429: DrawdownRateLimitError,
};

export function apiErrorFor(problem: ProblemDetails, headers: Headers): DrawdownApiError {
  const ErrorClass = byStatus[problem.status] ?? (problem.status >= 500 ? DrawdownServerError : DrawdownApiError);
  return new ErrorClass(problem, headers);
}
