import type { HttpClient, RequestOptions } from "../core/http.js";
import { paginate } from "../core/pagination.js";
import type { BodyOf, QueryOf, ResponseOf } from "../core/types.js";
import { verifyWebhookSignature, type VerifySignatureOptions } from "../webhook-signature.js";

export type CreateWebhookEndpointParams = BodyOf<"post", "/webhooks">;
export type WebhookEndpointCreated = ResponseOf<"post", "/webhooks">;
export type WebhookEndpointDetail = ResponseOf<"get", "/webhooks/{id}">;
export type WebhookEndpointPage = ResponseOf<"get", "/webhooks">;
export type WebhookEndpoint = WebhookEndpointPage["items"][number];
export type ListWebhookEndpointsParams = QueryOf<"get", "/webhooks">;

/** `/webhooks`: outbound webhook endpoints, and checking the deliveries' signatures. */
export class Webhooks {
  constructor(private readonly http: HttpClient) {}

  /** Registers an endpoint; the answer holds its signing `secret`, shown only here. Sends an Idempotency-Key. */
  create(params: CreateWebhookEndpointParams, options?: RequestOptions): Promise<WebhookEndpointCreated> {
    return this.http.request({ method: "post", path: "/webhooks", body: params, safety: "key", options });
  }

  /** An endpoint with its latest deliveries and their attempts. */
  get(endpointId: string, options?: RequestOptions): Promise<WebhookEndpointDetail> {
    return this.http.request({ method: "get", path: "/webhooks/{id}", pathParams: { id: endpointId }, safety: "read", options });
  }

  list(params: ListWebhookEndpointsParams = {}, options?: RequestOptions): Promise<WebhookEndpointPage> {
    return this.http.request({ method: "get", path: "/webhooks", query: params, safety: "read", options });
  }

  listAll(params: ListWebhookEndpointsParams = {}, options?: RequestOptions): AsyncGenerator<WebhookEndpoint, void, undefined> {
    return paginate<WebhookEndpoint, ListWebhookEndpointsParams>((p) => this.list(p, options), params);
  }

  /** Deletes an endpoint and its delivery log. Sends an Idempotency-Key. */
  delete(endpointId: string, options?: RequestOptions): Promise<ResponseOf<"delete", "/webhooks/{id}">> {
    return this.http.request({ method: "delete", path: "/webhooks/{id}", pathParams: { id: endpointId }, safety: "key", options });
  }

  /**
   * True when `header` (the `Drawdown-Signature` request header) signs exactly `rawBody`
   * (the body as received, before JSON parsing) with the endpoint's `secret`, within 300 s.
   */
  verifySignature(rawBody: string | Uint8Array, header: string | null | undefined, secret: string, options?: VerifySignatureOptions): Promise<boolean> {
    return verifyWebhookSignature(rawBody, header, secret, options);
  }
}
