import type { HttpClient, RequestOptions } from "../core/http.js";
import { paginate } from "../core/pagination.js";
import type { BodyOf, QueryOf, ResponseOf } from "../core/types.js";

export type CreateHoldParams = BodyOf<"post", "/customers/{id}/wallet/holds">;
export type Hold = ResponseOf<"get", "/customers/{id}/wallet/holds/{hold_id}">;
export type HoldPage = ResponseOf<"get", "/customers/{id}/wallet/holds">;
export type ListHoldsParams = QueryOf<"get", "/customers/{id}/wallet/holds">;
export type CaptureHoldParams = BodyOf<"post", "/customers/{id}/wallet/holds/{hold_id}/capture">;
export type HoldCaptureEvent = NonNullable<CaptureHoldParams["events"]>[number];
export type HoldCapture = ResponseOf<"post", "/customers/{id}/wallet/holds/{hold_id}/capture">;
export type ExtendHoldParams = BodyOf<"post", "/customers/{id}/wallet/holds/{hold_id}/extend">;

/** What `holds.run` needs: the customer and the hold to create. */
export type RunHoldParams = CreateHoldParams & { customerId: string };

/** What the callback of `holds.run` gets. */
export interface HoldWork {
  /** The open hold (its `id` is what usage events sent meanwhile carry as `holdId`). */
  hold: Hold;
  /**
   * Aborted when the caller's signal aborts or the hold can no longer be kept open (an
   * extension failed): stop the work; nothing is captured and the hold is released.
   */
  signal: AbortSignal;
}

export interface RunHoldOptions {
  /**
   * Milliseconds between extensions while the callback runs (the heartbeat). Default: half
   * the hold's time to live, so one lost extension does not let it expire.
   */
  extendEvery?: number;
  /** The time to live each extension sets, in seconds (default: the create's `ttlSeconds`, else 900). */
  extendTtlSeconds?: number;
  /** Aborting it (the client went away) aborts the callback's signal and releases the hold. */
  signal?: AbortSignal;
  /** Per-request options of every call the helper makes (retries, timeout). */
  request?: Omit<RequestOptions, "idempotencyKey" | "signal">;
}

const DEFAULT_TTL_SECONDS = 900;

/**
 * `/customers/{id}/wallet/holds`: authorizations. A hold reserves funds (an amount, or
 * what an estimated usage event would cost) before expensive work runs; capture charges
 * what the work really cost and releases the rest.
 */
export class Holds {
  constructor(private readonly http: HttpClient) {}

  /**
   * Reserves funds; fails with a 402 `insufficient_funds` (`DrawdownApiError`, the
   * shortfall in its problem) when available balance plus overdraft does not cover it.
   * Idempotent by `id`: a retry with the same body answers the same hold.
   */
  create(customerId: string, params: CreateHoldParams, options?: RequestOptions): Promise<Hold> {
    return this.http.request({ method: "post", path: "/customers/{id}/wallet/holds", pathParams: { id: customerId }, body: params, safety: "natural", options });
  }

  /** One hold; a hold past its `expiresAt` reads as `expired` even before the expiry job ran. */
  get(customerId: string, holdId: string, options?: RequestOptions): Promise<Hold> {
    return this.http.request({ method: "get", path: "/customers/{id}/wallet/holds/{hold_id}", pathParams: { id: customerId, hold_id: holdId }, safety: "read", options });
  }

  /** One page of the customer's holds, newest first; `status` filters. */
  list(customerId: string, params: ListHoldsParams = {}, options?: RequestOptions): Promise<HoldPage> {
    return this.http.request({ method: "get", path: "/customers/{id}/wallet/holds", pathParams: { id: customerId }, query: params, safety: "read", options });
  }

  listAll(customerId: string, params: ListHoldsParams = {}, options?: RequestOptions): AsyncGenerator<Hold, void, undefined> {
    return paginate<Hold, ListHoldsParams>((p) => this.list(customerId, p, options), params);
  }

  /**
   * Charges the events (priced as `POST /events` would) from the hold first, then from the
   * balance within overdraft, closes the hold and releases what is left. Sends an
   * Idempotency-Key, so a retry after a lost answer gets the first answer, not a 409.
   */
  capture(customerId: string, holdId: string, params: CaptureHoldParams = {}, options?: RequestOptions): Promise<HoldCapture> {
    return this.action("capture", customerId, holdId, params, options);
  }

  /** Moves the expiry (`ttlSeconds` from now, or `expiresAt`), at most 24 h after creation. */
  extend(customerId: string, holdId: string, params: ExtendHoldParams, options?: RequestOptions): Promise<Hold> {
    return this.action("extend", customerId, holdId, params, options);
  }

  /** Closes the hold and gives its funds back; 409 once it is captured. */
  release(customerId: string, holdId: string, options?: RequestOptions): Promise<Hold> {
    return this.action("release", customerId, holdId, undefined, options);
  }

  /**
   * Runs `work` inside a hold: creates it, extends it every `extendEvery` ms while `work`
   * runs, then captures the events `work` returns (closing the hold, releasing the rest).
   * If `work` throws, or `options.signal` aborts (e.g. the client of a stream went away),
   * the hold is released and the error (or the abort reason) is thrown. Usage `work` sends
   * itself with `holdId: hold.id` while it runs is taken from the hold too (partial captures).
   *
   * ```ts
   * const { results } = await client.holds.run(
   *   { customerId, id: requestId, estimate: { eventType: "chat", data: { max_tokens: 4000 } } },
   *   async ({ hold, signal }) => {
   *     const tokens = await streamCompletion({ signal });
   *     return [{ id: requestId, eventType: "chat", occurredAt: new Date().toISOString(), data: { tokens } }];
   *   },
   *   { extendEvery: 30_000, signal: request.signal },
   * );
   * ```
   */
  async run(
    params: RunHoldParams,
    work: (context: HoldWork) => Promise<readonly HoldCaptureEvent[] | void>,
    options: RunHoldOptions = {},
  ): Promise<HoldCapture> {
    const { customerId, ...createParams } = params;
    const outer = options.signal;
    outer?.throwIfAborted();
    const hold = await this.create(customerId, createParams as CreateHoldParams, options.request);

    const controller = new AbortController();
    const abort = () => controller.abort(outer?.reason);
    outer?.addEventListener("abort", abort, { once: true });
    const ttlSeconds = options.extendTtlSeconds ?? createParams.ttlSeconds ?? DEFAULT_TTL_SECONDS;
    const every = options.extendEvery ?? (ttlSeconds * 1000) / 2;
    // One extension at a time; the last one is awaited before capture or release so it
    // can never land on a closed hold.
    let extending: Promise<unknown> = Promise.resolve();
    const timer = setInterval(() => {
      extending = extending.then(() =>
        controller.signal.aborted
          ? undefined
          : this.extend(customerId, hold.id, { ttlSeconds }, options.request).catch((error: unknown) => controller.abort(error)),
      );
    }, every);

    // Settles when work does, or as soon as the signal aborts (work may not be listening).
    const aborted = new Promise<never>((_, reject) => {
      if (controller.signal.aborted) reject(controller.signal.reason as Error);
      controller.signal.addEventListener("abort", () => reject(controller.signal.reason as Error), { once: true });
    });
    aborted.catch(() => undefined);
    try {
      const events = await Promise.race([work({ hold, signal: controller.signal }), aborted]);
      clearInterval(timer);
      await extending;
      controller.signal.throwIfAborted();
      return await this.capture(customerId, hold.id, { events: events ? [...events] : [] }, options.request);
    } catch (error) {
      clearInterval(timer);
      controller.abort(error);
      await extending;
      // The hold may already be closed (expired, or the capture got through before an
      // error): releasing is best effort, the work's own error is what the caller sees.
      await this.release(customerId, hold.id, options.request).catch(() => undefined);
      throw error;
    } finally {
      outer?.removeEventListener("abort", abort);
    }
  }

  private action<A extends "capture" | "extend" | "release">(
    action: A,
    customerId: string,
    holdId: string,
    body: unknown,
    options: RequestOptions | undefined,
  ): Promise<ResponseOf<"post", `/customers/{id}/wallet/holds/{hold_id}/${A}`>> {
    return this.http.request({
      method: "post",
      path: `/customers/{id}/wallet/holds/{hold_id}/${action}`,
      pathParams: { id: customerId, hold_id: holdId },
      body,
      safety: "key",
      options,
    });
  }
}
