import type { HttpClient, RequestOptions } from "../core/http.js";
import { paginate } from "../core/pagination.js";
import type { BodyOf, QueryOf, ResponseOf } from "../core/types.js";

export type InitiateTopUpParams = BodyOf<"post", "/top-ups">;
export type TopUpCreated = ResponseOf<"post", "/top-ups">;
export type TopUp = ResponseOf<"get", "/top-ups/{id}">;
export type ListTopUpsParams = QueryOf<"get", "/top-ups">;

/** `/top-ups`: Stripe Checkout top-ups. */
export class TopUps {
  constructor(private readonly http: HttpClient) {}

  /**
   * Starts a top-up; send the customer to `redirectUrl`. Sends an Idempotency-Key, so a
   * retried call never creates a second top-up.
   */
  initiate(params: InitiateTopUpParams, options?: RequestOptions): Promise<TopUpCreated> {
    return this.http.request({ method: "post", path: "/top-ups", body: params, safety: "key", options });
  }

  get(topUpId: string, options?: RequestOptions): Promise<TopUp> {
    return this.http.request({ method: "get", path: "/top-ups/{id}", pathParams: { id: topUpId }, safety: "read", options });
  }

  list(params: ListTopUpsParams = {}, options?: RequestOptions): Promise<ResponseOf<"get", "/top-ups">> {
    return this.http.request({ method: "get", path: "/top-ups", query: params, safety: "read", options });
  }

  listAll(params: ListTopUpsParams = {}, options?: RequestOptions): AsyncGenerator<TopUp, void, undefined> {
    return paginate<TopUp, ListTopUpsParams>((p) => this.list(p, options), params);
  }
}
