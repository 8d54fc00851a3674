import type { HttpClient, RequestOptions } from "../core/http.js";
import { paginate } from "../core/pagination.js";
import type { BodyOf, QueryOf, ResponseOf } from "../core/types.js";

export type SendUsageParams = BodyOf<"post", "/events">;
export type UsageEventInput = SendUsageParams["events"][number];
export type SendUsageResponse = ResponseOf<"post", "/events">;
export type UsageEvent = ResponseOf<"get", "/events/{id}">;
export type ListEventsParams = QueryOf<"get", "/events">;
export type GetEventParams = QueryOf<"get", "/events/{id}">;

/** `/events`: usage events, priced and charged in real time. */
export class Events {
  constructor(private readonly http: HttpClient) {}

  /**
   * Sends up to 1,000 usage events; one result per event (`billed`, `unbilled`,
   * `duplicate`, `refused`). Idempotent by each event's `id`: a retry after a lost answer
   * reports the events as `duplicate` with their original fees and charges nothing more.
   * `data` is sent exactly as written (its keys are not re-cased).
   */
  sendUsage(params: SendUsageParams, options?: RequestOptions): Promise<SendUsageResponse> {
    return this.http.request({ method: "post", path: "/events", body: params, safety: "natural", options });
  }

  /** One event by your id; pass `customerId` when two customers used the same id. */
  get(eventId: string, params: GetEventParams = {}, options?: RequestOptions): Promise<UsageEvent> {
    return this.http.request({ method: "get", path: "/events/{id}", pathParams: { id: eventId }, query: params, safety: "read", options });
  }

  list(params: ListEventsParams = {}, options?: RequestOptions): Promise<ResponseOf<"get", "/events">> {
    return this.http.request({ method: "get", path: "/events", query: params, safety: "read", options });
  }

  listAll(params: ListEventsParams = {}, options?: RequestOptions): AsyncGenerator<UsageEvent, void, undefined> {
    return paginate<UsageEvent, ListEventsParams>((p) => this.list(p, options), params);
  }
}
