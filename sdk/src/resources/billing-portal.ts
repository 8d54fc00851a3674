import type { HttpClient, RequestOptions } from "../core/http.js";
import type { BodyOf, ResponseOf } from "../core/types.js";

export type CreatePortalSessionParams = BodyOf<"post", "/billing-portal/sessions">;
export type PortalSession = ResponseOf<"post", "/billing-portal/sessions">;

/** `/billing-portal/sessions`. */
export class BillingPortal {
  constructor(private readonly http: HttpClient) {}

  /** A single-use sign-in link (10 minutes) to the customer's billing portal. Sends an Idempotency-Key. */
  createPortalSession(params: CreatePortalSessionParams, options?: RequestOptions): Promise<PortalSession> {
    return this.http.request({ method: "post", path: "/billing-portal/sessions", body: params, safety: "key", options });
  }
}
