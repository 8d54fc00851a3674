import type { HttpClient, RequestOptions } from "../core/http.js";
import type { QueryOf, ResponseOf } from "../core/types.js";

export type StatsParams = QueryOf<"get", "/stats">;
export type Stats = ResponseOf<"get", "/stats">;

/**
 * Revenue, costs, margin, event counts (and top-ups) for a period: `from`/`to` are UTC days
 * (`YYYY-MM-DD`, both included; default this month), `interval` adds a series.
 */
export class StatsResource {
  constructor(private readonly http: HttpClient) {}

  /** All customers of the platform. */
  platform(params: StatsParams = {}, options?: RequestOptions): Promise<Stats> {
    return this.http.request({ method: "get", path: "/stats", query: params, safety: "read", options });
  }

  customer(customerId: string, params: StatsParams = {}, options?: RequestOptions): Promise<Stats> {
    return this.http.request({ method: "get", path: "/customers/{id}/stats", pathParams: { id: customerId }, query: params, safety: "read", options });
  }

  /** The events a product priced: its fees, and those events' costs. */
  product(productId: string, params: StatsParams = {}, options?: RequestOptions): Promise<Stats> {
    return this.http.request({ method: "get", path: "/products/{id}/stats", pathParams: { id: productId }, query: params, safety: "read", options });
  }

  /** A vendor's costs, and the revenue of the events that carried them. */
  vendor(vendorId: string, params: StatsParams = {}, options?: RequestOptions): Promise<Stats> {
    return this.http.request({ method: "get", path: "/vendors/{id}/stats", pathParams: { id: vendorId }, query: params, safety: "read", options });
  }
}
