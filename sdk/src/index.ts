export { DrawdownClient } from "./client.js";
export type { DrawdownClientOptions, RequestOptions } from "./core/http.js";
export {
  DrawdownApiError,
  DrawdownAuthenticationError,
  DrawdownBadRequestError,
  DrawdownConflictError,
  DrawdownConnectionError,
  DrawdownError,
  DrawdownNotFoundError,
  DrawdownRateLimitError,
  DrawdownServerError,
  DrawdownValidationError,
  type FieldError,
  type ProblemDetails,
} from "./core/errors.js";
export { paginate, type Page, type PageParams } from "./core/pagination.js";
export type { Camelize, CamelKey, PassThroughKey } from "./core/types.js";
export { CREDYT_SIGNATURE_HEADER, SIGNATURE_HEADER, verifyWebhookSignature, type VerifySignatureOptions } from "./webhook-signature.js";
export type * from "./resources/api-keys.js";
export type * from "./resources/assets.js";
export type * from "./resources/billing-portal.js";
export type * from "./resources/customer-wallet-ops.js";
export type * from "./resources/customers.js";
export type * from "./resources/events.js";
export type * from "./resources/holds.js";
export type * from "./resources/products.js";
export type * from "./resources/stats.js";
export type * from "./resources/top-ups.js";
export type * from "./resources/vendors.js";
export type * from "./resources/webhooks.js";
export type { components, paths } from "./generated/openapi.js";
