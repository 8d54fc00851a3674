import type { HttpClient, RequestOptions } from "../core/http.js";
import { paginate } from "../core/pagination.js";
import type { BodyOf, QueryOf, ResponseOf } from "../core/types.js";

export type Asset = ResponseOf<"get", "/assets/{code}">;
export type CreateAssetParams = BodyOf<"post", "/assets">;
export type QuoteAssetParams = BodyOf<"post", "/assets/{code}/quote">;
export type AssetQuote = ResponseOf<"post", "/assets/{code}/quote">;
export type ListAssetsParams = QueryOf<"get", "/assets">;

/** `/assets`: custom units (`TOK`, `CREDIT`) and their fiat rates. */
export class Assets {
  constructor(private readonly http: HttpClient) {}

  /** Sends an Idempotency-Key. */
  create(params: CreateAssetParams, options?: RequestOptions): Promise<ResponseOf<"post", "/assets">> {
    return this.http.request({ method: "post", path: "/assets", body: params, safety: "key", options });
  }

  /** A custom asset or a built-in fiat currency (`USD`). */
  get(code: string, options?: RequestOptions): Promise<Asset> {
    return this.http.request({ method: "get", path: "/assets/{code}", pathParams: { code }, safety: "read", options });
  }

  /** Custom assets only (fiat currencies are built in). */
  list(params: ListAssetsParams = {}, options?: RequestOptions): Promise<ResponseOf<"get", "/assets">> {
    return this.http.request({ method: "get", path: "/assets", query: params, safety: "read", options });
  }

  listAll(params: ListAssetsParams = {}, options?: RequestOptions): AsyncGenerator<Asset, void, undefined> {
    return paginate<Asset, ListAssetsParams>((p) => this.list(p, options), params);
  }

  /** Units a fiat `amount` buys, or the amount to pay for `units`; changes nothing. */
  quote(code: string, params: QuoteAssetParams, options?: RequestOptions): Promise<AssetQuote> {
    return this.http.request({ method: "post", path: "/assets/{code}/quote", pathParams: { code }, body: params, safety: "read", options });
  }
}
