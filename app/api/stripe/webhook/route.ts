import Stripe from "stripe";
import { readTextBody, withBodyLimit } from "@/lib/api/body";
import { allowedMethods, methodNotAllowed } from "@/lib/api/fallback";
import { internalErrorResponse, problemResponse } from "@/lib/api/problem";
import { newRequestId } from "@/lib/api/request-id";
import { unavailableResponse } from "@/lib/api/route";
import { isDatabaseUnavailable } from "@/lib/observability/database-unavailable";
import { constructStripeEvent } from "@/lib/stripe/client";
import { handleAutoTopUpStripeEvent } from "@/lib/auto-top-ups";
import { handleStripeEvent } from "@/lib/top-ups/stripe-webhooks/dispatch";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Stripe's events are a few KiB (a Checkout Session with its metadata); anything near this is not Stripe. */
const MAX_BODY_BYTES = 512 * 1024;

/**
 * Stripe's webhook endpoint. The body is read up to MAX_BODY_BYTES (a 413 problem past it,
 * before any of it is parsed); the signature is checked over the exact raw body with the
 * SDK (a missing or bad signature is a 400 and nothing is written); the event is then
 * handled exactly once (lib/top-ups/stripe-webhooks/dispatch.ts). 200 when handled, duplicated or
 * ignored; 503 with Retry-After when the database could not be reached, 500 when processing
 * failed otherwise: Stripe retries both (for days), and the event is recorded only with its
 * effect, so a retry credits once.
 */
export const POST = withBodyLimit(MAX_BODY_BYTES, async (request: Request): Promise<Response> => {
  const requestId = newRequestId();
  const rawBody = await readTextBody(request, MAX_BODY_BYTES);
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
    // Auto top-ups' off-session payments (payment_intent.*), then the Checkout top-ups' events.
    const result = (await handleAutoTopUpStripeEvent(event)) ?? (await handleStripeEvent(event));
    return Response.json({ received: true, event_id: event.id, ...result }, { headers: { "X-Request-Id": requestId } });
  } catch (error) {
    if (isDatabaseUnavailable(error)) return unavailableResponse(error, requestId);
    return internalErrorResponse(error, requestId);
  }
});

const notAllowed = methodNotAllowed(["POST"]);
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = allowedMethods(["POST"]);
