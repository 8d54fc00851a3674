import type { HttpClient, RequestOptions } from "../core/http.js";
import { paginate } from "../core/pagination.js";
import type { BodyOf, QueryOf, ResponseOf } from "../core/types.js";

export type CreateApiKeyParams = BodyOf<"post", "/api-keys">;
export type ApiKeyCreated = ResponseOf<"post", "/api-keys">;
export type ApiKey = ResponseOf<"get", "/api-keys/{id}">;
export type ApiKeyPage = ResponseOf<"get", "/api-keys">;
export type ListApiKeysParams = QueryOf<"get", "/api-keys">;

/**
 * `/api-keys`: the platform's own API keys, of the client's key's mode. Rotate by creating
 * a key, deploying it, then revoking the old one.
 */
export class ApiKeys {
  constructor(private readonly http: HttpClient) {}

  /**
   * Creates a key of the calling key's mode; the answer holds its `secret`, shown only here.
   * Sends an Idempotency-Key: when a retry follows a lost answer, the server never re-sends
   * the secret and this throws a 409 whose `problem.keyId` names the key made (revoke it
   * and create another).
   */
  create(params: CreateApiKeyParams = {}, options?: RequestOptions): Promise<ApiKeyCreated> {
    return this.http.request({ method: "post", path: "/api-keys", body: params, safety: "key", options });
  }

  /** A key (never its secret), with `lastUsedAt` accurate to about a minute. */
  get(keyId: string, options?: RequestOptions): Promise<ApiKey> {
    return this.http.request({ method: "get", path: "/api-keys/{id}", pathParams: { id: keyId }, safety: "read", options });
  }

  /** The mode's keys, newest first, revoked ones included. */
  list(params: ListApiKeysParams = {}, options?: RequestOptions): Promise<ApiKeyPage> {
    return this.http.request({ method: "get", path: "/api-keys", query: params, safety: "read", options });
  }

  listAll(params: ListApiKeysParams = {}, options?: RequestOptions): AsyncGenerator<ApiKey, void, undefined> {
    return paginate<ApiKey, ListApiKeysParams>((p) => this.list(p, options), params);
  }

  /**
   * Revokes a key: refused from the next request on. Revoking a revoked key answers it
   * again; the client's own key may be revoked (this client then gets 401s). Sends an
   * Idempotency-Key.
   */
  revoke(keyId: string, options?: RequestOptions): Promise<ApiKey> {
    return this.http.request({ method: "delete", path: "/api-keys/{id}", pathParams: { id: keyId }, safety: "key", options });
  }
}
