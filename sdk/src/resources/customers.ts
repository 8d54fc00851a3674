import type { HttpClient, RequestOptions } from "../core/http.js";
import { paginate } from "../core/pagination.js";
import type { BodyOf, QueryOf, ResponseOf } from "../core/types.js";

export type Customer = ResponseOf<"get", "/customers/{id}">;
export type CreateCustomerParams = BodyOf<"post", "/customers">;
export type ListCustomersParams = QueryOf<"get", "/customers">;

/** `/customers`. */
export class Customers {
  constructor(private readonly http: HttpClient) {}

  /** Creates a customer (and its subscriptions). Sends an Idempotency-Key. */
  create(params: CreateCustomerParams, options?: RequestOptions): Promise<ResponseOf<"post", "/customers">> {
    return this.http.request({ method: "post", path: "/customers", body: params, safety: "key", options });
  }

  get(customerId: string, options?: RequestOptions): Promise<Customer> {
    return this.http.request({ method: "get", path: "/customers/{id}", pathParams: { id: customerId }, safety: "read", options });
  }

  /** One page, newest first; filter by `externalId` or `email`. */
  list(params: ListCustomersParams = {}, options?: RequestOptions): Promise<ResponseOf<"get", "/customers">> {
    return this.http.request({ method: "get", path: "/customers", query: params, safety: "read", options });
  }

  /** Every customer matching `params`, page after page: `for await (const c of client.customers.listAll())`. */
  listAll(params: ListCustomersParams = {}, options?: RequestOptions): AsyncGenerator<Customer, void, undefined> {
    return paginate<Customer, ListCustomersParams>((p) => this.list(p, options), params);
  }
}
