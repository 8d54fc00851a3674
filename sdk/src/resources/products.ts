import type { HttpClient, RequestOptions } from "../core/http.js";
import { paginate } from "../core/pagination.js";
import type { BodyOf, QueryOf, ResponseOf } from "../core/types.js";

export type CreateProductParams = BodyOf<"post", "/products">;
export type ProductVersion = ResponseOf<"post", "/products">;
export type Product = ResponseOf<"get", "/products/{id}">;
export type ProductPage = ResponseOf<"get", "/products">;
export type ProductSummary = ProductPage["items"][number];
export type ListProductsParams = QueryOf<"get", "/products">;
export type CreateProductVersionParams = BodyOf<"post", "/products/{id}">;
export type UpdateProductVersionParams = BodyOf<"patch", "/products/{id}/{version}">;
export type SimulateUsageParams = BodyOf<"post", "/products/{id}/{version}/simulate-usage">;
export type SimulatedUsage = ResponseOf<"post", "/products/{id}/{version}/simulate-usage">;

/**
 * `/products`: versioned prices. Price `dimensions` are keyed by your event `data` fields
 * and are sent as written, like `data` itself.
 */
export class Products {
  constructor(private readonly http: HttpClient) {}

  /** Creates a product with version 1 of its prices. Sends an Idempotency-Key. */
  create(params: CreateProductParams, options?: RequestOptions): Promise<ProductVersion> {
    return this.http.request({ method: "post", path: "/products", body: params, safety: "key", options });
  }

  /** A product with all its versions. */
  get(productId: string, options?: RequestOptions): Promise<Product> {
    return this.http.request({ method: "get", path: "/products/{id}", pathParams: { id: productId }, safety: "read", options });
  }

  list(params: ListProductsParams = {}, options?: RequestOptions): Promise<ProductPage> {
    return this.http.request({ method: "get", path: "/products", query: params, safety: "read", options });
  }

  listAll(params: ListProductsParams = {}, options?: RequestOptions): AsyncGenerator<ProductSummary, void, undefined> {
    return paginate<ProductSummary, ListProductsParams>((p) => this.list(p, options), params);
  }

  /** Adds a version with new prices. Sends an Idempotency-Key. */
  createVersion(productId: string, params: CreateProductVersionParams, options?: RequestOptions): Promise<ResponseOf<"post", "/products/{id}">> {
    return this.http.request({ method: "post", path: "/products/{id}", pathParams: { id: productId }, body: params, safety: "key", options });
  }

  /** Publishes a version and/or makes it the default. */
  updateVersion(productId: string, version: number, params: UpdateProductVersionParams, options?: RequestOptions): Promise<ResponseOf<"patch", "/products/{id}/{version}">> {
    return this.http.request({
      method: "patch",
      path: "/products/{id}/{version}",
      pathParams: { id: productId, version },
      body: params,
      safety: "key",
      options,
    });
  }

  /** The fees these events would incur on this version; charges nothing. */
  simulateUsage(productId: string, version: number, params: SimulateUsageParams, options?: RequestOptions): Promise<SimulatedUsage> {
    return this.http.request({
      method: "post",
      path: "/products/{id}/{version}/simulate-usage",
      pathParams: { id: productId, version },
      body: params,
      safety: "read",
      options,
    });
  }
}
