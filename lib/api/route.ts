import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import { BusyError, DomainError } from "@/lib/errors";
import { authenticate, type ApiAuth } from "./auth";
import type { Operation } from "./contract";
import { assertDeclaredLength, DEFAULT_MAX_BODY_BYTES } from "./body";
import { withIdempotency } from "./idempotency";
import { parseBody, parseParams, parseQuery } from "./input";
import { isDatabaseUnavailable } from "@/lib/observability/database-unavailable";
import { logger } from "@/lib/observability/logger";
import { metrics } from "@/lib/observability/metrics";
import { ApiProblem, domainErrorStatus, internalErrorResponse, problemResponse, problems, renderProblem } from "./problem";
import { consumeRateLimit } from "./rate-limit";
import { recordApiRequest } from "@/lib/request-log/record-api-request";
import { newRequestId, withRequestId } from "./request-id";
// Registers auto top-up's ledger listener in every graph that serves the API or the portal
// (the ledger runs batches for both; lib/usage and lib/wallet sit below lib/auto-top-ups).
import "@/lib/auto-top-ups/auto-top-up-trigger";

export type { ApiAuth } from "./auth";

type Output<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface PublicRequestContext<B, P, Q> {
  body: Output<B>;
  params: Output<P>;
  query: Output<Q>;
  request: Request;
  requestId: string;
}

export interface ApiRequestContext<B, P, Q> extends PublicRequestContext<B, P, Q> {
  /** Always defined: the tenant is resolved before the handler runs. */
  auth: ApiAuth;
}

/**
 * What a handler returns: a value of the operation's response schema (its input side: the
 * schema decides what is sent), or a `Response` sent as is.
 */
export type Reply<R> = Response | (R extends z.ZodType ? z.input<R> : object);

/** A plain object or array is sent as JSON with the route's status; a Response as is. */
export type HandlerResult = Response | object;

/** The shape Next.js calls: `context.params` is a Promise since Next 15. */
export type RouteHandler = (request: Request, context?: { params?: Promise<unknown> }) => Promise<Response>;

/** A route handler with its body limit (the router reads no more) and, when made from a declared operation (lib/api/contract.ts), that declaration. */
export type WrappedHandler = RouteHandler & { maxBodyBytes: number; operation?: Operation };

/** A route handler made from a declared operation, which it carries. */
export type OperationHandler = WrappedHandler & { operation: Operation };

/** What a route outside the API document (health, readiness) declares: an operation's parts, all optional. */
export type RouteOptions<P extends Schema = undefined, Q extends Schema = undefined, B extends Schema = undefined, R extends Schema = undefined> = Partial<
  Operation<P, Q, B, R>
>;

type Schema = z.ZodType | undefined;

/**
 * The one wrapper for `/api/v1` handlers, made from the operation's declaration
 * (lib/api/contract.ts). In order: request id, API key (401), rate limit per key (429),
 * Idempotency-Key (lib/api/idempotency.ts: replay or 409), route params (404), query
 * (400/422), JSON body (415/413/400/422), handler, and its result through the operation's
 * response schema. Errors become problem details: `ApiProblem` from these steps,
 * `DomainError` from domain code at its code's status (domainErrorStatus), anything else a 500 that
 * reveals nothing.
 *
 * ```ts
 * export const POST = apiRoute(customerOperations.createCustomer, async ({ auth, body }) => customerToJson(await createCustomer(auth, body)));
 * ```
 */
export function apiRoute<P extends Schema = undefined, Q extends Schema = undefined, B extends Schema = undefined, R extends Schema = undefined>(
  operation: Operation<P, Q, B, R>,
  handler: (ctx: ApiRequestContext<B, P, Q>) => Promise<Reply<R>> | Reply<R>,
): OperationHandler {
  if (operation.public) return publicApiRoute(operation, handler as never) as OperationHandler;
  return wrap(
    operation,
    async (request) => ({ auth: await authenticate(request) }),
    handler,
    // Every answer to an authenticated request, its 429s included, goes to the console's
    // request log (lib/request-log: buffered, written off the request's path).
    (request, { auth }, requestId, execute) =>
      recordApiRequest(request, auth, requestId, async () => {
        try {
          await consumeRateLimit(auth.keyId);
          return await withIdempotency(request, auth, requestId, operation.maxBodyBytes, execute, operation.replayWithoutSecret);
        } catch (error) {
          return errorResponse(error, requestId);
        }
      }),
  ) as OperationHandler;
}

/**
 * Same as `apiRoute` without the API key and rate limit: a `public` operation (the OpenAPI
 * document), or a route outside the API document (`/api/health`).
 */
export function publicApiRoute<P extends Schema = undefined, Q extends Schema = undefined, B extends Schema = undefined, R extends Schema = undefined>(
  operation: RouteOptions<P, Q, B, R>,
  handler: (ctx: PublicRequestContext<B, P, Q>) => Promise<Reply<R>> | Reply<R>,
): WrappedHandler {
  return wrap(operation, async () => ({}), handler);
}

/**
 * Runs the admitted request's `execute` (parse, handler, reply): apiRoute's is the
 * Idempotency-Key check (lib/api/idempotency.ts), which sees every answer, errors included.
 */
type Guard<Extra> = (request: Request, extra: Extra, requestId: string, execute: () => Promise<Response>) => Promise<Response>;

/**
 * The core every wrapper shares: apiRoute, publicApiRoute and the portal's portalRoute
 * (app/_server/portal-route.ts, whose `admit` is the session cookie). Request id, body
 * limit, `admit`, `guard`, params, query, body, handler; anything thrown → errorResponse.
 */
export function wrap<B extends Schema, P extends Schema, Q extends Schema, R extends Schema, Extra extends object>(
  options: RouteOptions<P, Q, B, R>,
  admit: (request: Request, requestId: string) => Promise<Extra>,
  handler: (ctx: PublicRequestContext<B, P, Q> & Extra) => Promise<Reply<R>> | Reply<R>,
  guard: Guard<Extra> = (_request, _extra, _requestId, execute) => execute(),
): WrappedHandler {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const handle: RouteHandler = async (request, context) => {
    const requestId = newRequestId();
    try {
      // Before the key is even looked up: a declared length over the limit is refused unread.
      assertDeclaredLength(request, maxBodyBytes);
      const extra = await admit(request, requestId);
      return await guard(request, extra, requestId, async () => {
        try {
          const params = (options.params ? await parseParams(options.params, context?.params) : undefined) as Output<P>;
          const query = (options.query ? await parseQuery(options.query, request.url) : undefined) as Output<Q>;
          const body = (
            options.body ? await parseBody(options.body, request, options.maxBodyBytes) : undefined
          ) as Output<B>;
          const result = await handler({ ...extra, body, params, query, request, requestId });
          if (result instanceof Response) return withRequestId(result, requestId);
          const reply = options.response ? serializeReply(options, result) : result;
          return Response.json(reply, { status: options.status ?? 200, headers: { "X-Request-Id": requestId } });
        } catch (error) {
          return errorResponse(error, requestId);
        }
      });
    } catch (error) {
      return errorResponse(error, requestId);
    }
  };
  // Routes without a body schema have the limit too: server/api-router.ts reads no more.
  // A declared operation rides along: test/api-contract.test.ts reads it.
  return Object.assign(handle, { maxBodyBytes }, options.operationId ? { operation: options as Operation } : {});
}

/** Under test, a reply the response schema would change fails the request (see serializeReply). */
const CHECK_REPLIES = process.env.NODE_ENV === "test";

/**
 * The handler's result through the operation's response schema, so only declared fields go
 * out. A result the schema refuses is a bug of ours (a 500 naming the operation in the log).
 * Under test, a result the schema would change (a field it does not declare, a value it
 * rewrites) is one too: every answer the suite sees is exactly its documented shape.
 */
function serializeReply(operation: RouteOptions<Schema, Schema, Schema, Schema>, result: unknown): unknown {
  const parsed = operation.response!.safeParse(result);
  if (!parsed.success) {
    throw new Error(`${operation.operationId}: the result does not match the response schema: ${z.prettifyError(parsed.error)}`);
  }
  if (CHECK_REPLIES && !isDeepStrictEqual(JSON.parse(JSON.stringify(parsed.data)), JSON.parse(JSON.stringify(result)))) {
    throw new Error(`${operation.operationId}: the response schema drops or rewrites fields of the result: ${JSON.stringify(result)}`);
  }
  return parsed.data;
}

const log = logger("api");

/** The 503 `unavailable` answer to a database that cannot be reached: counted, logged, Retry-After. */
export function unavailableResponse(error: unknown, requestId: string): Response {
  metrics()?.unavailableResponses.inc({ code: "unavailable" });
  log.warn("database unavailable; answered 503", { request_id: requestId, error: causeLine(error) });
  return renderProblem(problems.unavailable(), requestId);
}

/**
 * Maps anything thrown at the boundary to problem details. A database that cannot be
 * reached (or a pool with no connection free in time) is a 503 `unavailable` with
 * Retry-After, not a 500: the same request may be retried
 * (lib/observability/database-unavailable.ts). Shared by apiRoute, publicApiRoute and
 * portalRoute.
 */
export function errorResponse(error: unknown, requestId: string): Response {
  if (error instanceof ApiProblem) return renderProblem(error, requestId);
  if (isDatabaseUnavailable(error)) return unavailableResponse(error, requestId);
  if (error instanceof DomainError) {
    if (error instanceof BusyError) metrics()?.unavailableResponses.inc({ code: "busy" });
    return problemResponse(
      {
        status: domainErrorStatus(error.code),
        code: error.code,
        detail: error.message,
        errors: error.errors,
        extra: error.extra,
        ...(error instanceof BusyError ? { headers: { "Retry-After": String(error.retryAfterSeconds) } } : {}),
      },
      requestId,
    );
  }
  return internalErrorResponse(error, requestId);
}

/** The cause in one line: the last (Prisma's messages first quote the calling code). */
function causeLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.trim().split("\n").at(-1) ?? "";
}
