import type { HttpClient, RequestOptions } from "../core/http.js";
import { paginate } from "../core/pagination.js";
import type { BodyOf, QueryOf, ResponseOf } from "../core/types.js";

export type CreateVendorParams = BodyOf<"post", "/vendors">;
export type Vendor = ResponseOf<"get", "/vendors/{id}">;
export type VendorPage = ResponseOf<"get", "/vendors">;
export type ListVendorsParams = QueryOf<"get", "/vendors">;

/** `/vendors`: the vendors behind your products, which usage events' `costs` name. */
export class Vendors {
  constructor(private readonly http: HttpClient) {}

  /** Creates a vendor; a used `externalId` is a 409 naming the existing one. Sends an Idempotency-Key. */
  create(params: CreateVendorParams, options?: RequestOptions): Promise<Vendor> {
    return this.http.request({ method: "post", path: "/vendors", body: params, safety: "key", options });
  }

  get(vendorId: string, options?: RequestOptions): Promise<Vendor> {
    return this.http.request({ method: "get", path: "/vendors/{id}", pathParams: { id: vendorId }, safety: "read", options });
  }

  /** Newest first; `externalId` finds one. */
  list(params: ListVendorsParams = {}, options?: RequestOptions): Promise<VendorPage> {
    return this.http.request({ method: "get", path: "/vendors", query: params, safety: "read", options });
  }

  listAll(params: ListVendorsParams = {}, options?: RequestOptions): AsyncGenerator<Vendor, void, undefined> {
    return paginate<Vendor, ListVendorsParams>((p) => this.list(p, options), params);
  }
}
