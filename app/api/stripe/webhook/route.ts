import Stripe from "stripe";
import { internalErrorResponse, problemResponse } from "@/lib/api/problem";
import { newRequestId } from "@/lib/api/request-id";
import { constructStripeEvent } from "@/lib/stripe/client";
import { handleStripeEvent } from "@/lib/stripe/webhooks/dispatch";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Stripe's webhook endpoint. The signature is checked over the exact raw body with the
 * SDK (a missing or bad signature is a 400 and nothing is written); the event is then
 * handled exactly once (lib/stripe/webhooks/dispatch.ts). 200 when handled, duplicated or
 * ignored; 500 when processing failed, so Stripe retries.
 */
export async function POST(request: Request): Promise<Response> {
  const requestId = newRequestId();
  const rawBody = await request.text();
  let event: Stripe.Event;
  try {
    event = constructStripeEvent(rawBody, request.headers.get("stripe-signature"));
  } catch (error) {
    if (!(error instanceof Stripe.errors.StripeSignatureVerificationError) && !(error instanceof SyntaxError)) {
      return internalErrorResponse(error, requestId);
    }
    return problemResponse({ status: 400, code: "invalid_signature", detail: "The Stripe-Signature header does not verify this body." }, requestId);
  }
  try {
    const result = await handleStripeEvent(event);
    return Response.json({ received: true, event_id: event.id, ...result }, { headers: { "X-Request-Id": requestId } });
  } catch (error) {
    return internalErrorResponse(error, requestId);
  }
}
