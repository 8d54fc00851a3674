import { newId } from "@/lib/ids";

/** A fresh id for one request: echoed as `X-Request-Id`, in problem bodies and in logs. */
export function newRequestId(): string {
  return newId("req");
}

/**
 * Sets `X-Request-Id` on a handler's response. Some responses have immutable headers
 * (`Response.redirect`, a fetched response passed through): those are copied.
 */
export function withRequestId(response: Response, requestId: string): Response {
  try {
    response.headers.set("X-Request-Id", requestId);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    copy.headers.set("X-Request-Id", requestId);
    return copy;
  }
}
