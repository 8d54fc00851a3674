import type { z } from "zod";
import type { SecretRedaction } from "./idempotency";

/**
 * The API contract: every `/api/v1` operation declared once, as data, beside the zod
 * schemas of its domain (lib/api/schemas/*.ts). The same declaration
 * - is what the route file hands to `apiRoute` (lib/api/route.ts), which parses params,
 *   query and body with it, type-checks the handler's result against `response` and sends
 *   that result through `response` (only the fields it declares go out);
 * - is what the OpenAPI document is built from (lib/api/openapi.ts), with its `operationId`.
 * `test/api-contract.test.ts` checks that every route file's handlers are declared
 * operations on their own path and method, and that every declared operation has a handler.
 *
 * ```ts
 * export const customerOperations = defineOperations({
 *   createCustomer: { method: "post", path: "/customers", tag: "Customers", summary: "Create a customer",
 *     body: createCustomerBody, response: customerSchema, status: 201, errors: [409] },
 * });
 * // app/api/v1/customers/route.ts
 * export const POST = apiRoute(customerOperations.createCustomer, ({ auth, body }) => …);
 * ```
 */
export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

type Schema = z.ZodType | undefined;

export interface OperationSpec<
  P extends Schema = Schema,
  Q extends Schema = Schema,
  B extends Schema = Schema,
  R extends Schema = Schema,
> {
  method: HttpMethod;
  /** Under /api/v1, OpenAPI style: `/customers/{id}`; the route file's folders spell the same path. */
  path: string;
  summary: string;
  /** Groups endpoints in the document and on /docs: "Customers", "Wallets", … */
  tag: string;
  description?: string;
  /** Route params, one key per `{name}` in `path`; a value it refuses answers 404. */
  params?: P;
  /** Query string; unknown parameters are a 400, a value it refuses a 422. */
  query?: Q;
  /** JSON body; without it the body is not read. */
  body?: B;
  /** The success answer: what the handler must return, and all that is sent. */
  response?: R;
  /** Success status (default 200). */
  status?: number;
  /** Error statuses beyond the ones derived from the operation's shape (e.g. 409). */
  errors?: number[];
  /** No API key needed. */
  public?: boolean;
  /** Body limit in bytes (default 1 MiB). */
  maxBodyBytes?: number;
  /**
   * For answers that carry a secret shown once: what an Idempotency-Key replay answers
   * instead of the stored answer (the secret itself is never written to the idempotency table).
   */
  replayWithoutSecret?: SecretRedaction;
}

/** A declared operation: its spec and the stable `operationId` client generators name methods after. */
export interface Operation<P extends Schema = Schema, Q extends Schema = Schema, B extends Schema = Schema, R extends Schema = Schema>
  extends OperationSpec<P, Q, B, R> {
  operationId: string;
}

type Operations<T> = { [K in keyof T]: T[K] & { operationId: K & string } };

/** Declares a domain's operations; each key is its `operationId`. */
export function defineOperations<T extends Record<string, OperationSpec<Schema, Schema, Schema, Schema>>>(specs: T): Operations<T> {
  return Object.fromEntries(Object.entries(specs).map(([operationId, spec]) => [operationId, { ...spec, operationId }])) as Operations<T>;
}
