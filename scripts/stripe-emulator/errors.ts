/**
 * Stripe-shaped API errors. The SDK turns `{ error: { type, message, param, code } }` plus
 * the HTTP status into its own error classes (`StripeInvalidRequestError`,
 * `StripeIdempotencyError`, …), so the app sees exactly what real Stripe would raise.
 */
export type StripeErrorType =
  | "api_error"
  | "card_error"
  | "idempotency_error"
  | "invalid_request_error";

export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: StripeErrorType,
    message: string,
    readonly param?: string,
    readonly code?: string,
    /** More fields of the error object: a card error's `decline_code`, `charge`, `payment_intent`, … */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  toJSON(): { error: Record<string, unknown> } {
    const error: Record<string, unknown> = { type: this.type, message: this.message };
    if (this.param) error.param = this.param;
    if (this.code) error.code = this.code;
    return { error: { ...error, ...this.extra } };
  }
}

/**
 * A declined payment: HTTP 402 with `type: "card_error"`, which the SDK raises as
 * `StripeCardError` carrying `code`, `decline_code`, `charge`, `payment_intent`, `payment_method`.
 */
export function cardError(message: string, code: string, extra: Record<string, unknown>): StripeApiError {
  return new StripeApiError(402, "card_error", message, undefined, code, { doc_url: `https://stripe.com/docs/error-codes/${code.replaceAll("_", "-")}`, ...extra });
}

/**
 * `No such checkout.session: 'cs_test_…'`: 404 for an unknown id in the path, 400 for an
 * unknown id given as a parameter (e.g. `customer`), as Stripe answers.
 */
export function noSuch(kind: string, id: string, param = "id", status: 400 | 404 = 404): StripeApiError {
  return new StripeApiError(status, "invalid_request_error", `No such ${kind}: '${id}'`, param, "resource_missing");
}

export function missingParam(param: string): StripeApiError {
  return new StripeApiError(400, "invalid_request_error", `Missing required param: ${param}.`, param, "parameter_missing");
}

export function invalidParam(param: string, message: string, code = "parameter_invalid"): StripeApiError {
  return new StripeApiError(400, "invalid_request_error", message, param, code);
}

export function unknownParam(param: string): StripeApiError {
  return new StripeApiError(
    400,
    "invalid_request_error",
    `Received unknown parameter: ${param} (the Stripe emulator serves a subset of the API: see scripts/stripe-emulator/README.md)`,
    param,
    "parameter_unknown",
  );
}

/** A request that is well formed but not allowed in the object's current state. */
export function invalidState(message: string, param?: string, code?: string): StripeApiError {
  return new StripeApiError(400, "invalid_request_error", message, param, code);
}
