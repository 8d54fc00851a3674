import { z } from "zod";
import { ApiProblem } from "@/lib/api/problem";
import { wrap } from "@/lib/api/route";
import { requestOperatorSignIn } from "@/lib/console/operator-sign-in";
import { operatorEmailSchema } from "@/lib/console/operators";
import { env } from "@/lib/env";
import { clientAddress } from "@/lib/http/client-address";
import { consumeSignInRateLimit } from "@/lib/portal-access/sign-in-rate-limit";

const body = z.strictObject({ email: operatorEmailSchema });

/**
 * Asks for a console sign-in link. Answers 202 whether or not the address is an operator
 * (the email goes out after the answer), after the magic-link rate limit shared with the
 * portal (per address and per client IP; 429 with Retry-After).
 */
export const POST = wrap(
  { body, status: 202, maxBodyBytes: 4 * 1024 },
  async () => ({}),
  async ({ body: { email }, request }) => {
    const limit = await consumeSignInRateLimit(email, clientAddress(request.headers, env().TRUST_PROXY_HOPS));
    if (!limit.allowed) {
      throw new ApiProblem(429, "rate_limited", "Too many sign-in emails; try again later.", [], {
        "Retry-After": String(limit.retryAfterSeconds),
      });
    }
    void requestOperatorSignIn(email).catch((error: unknown) => console.error("[console] sign-in request failed:", error));
    return Response.json({ sent: true }, { status: 202, headers: { "Cache-Control": "no-store" } });
  },
);
