import { z } from "zod";
import { ApiProblem } from "@/lib/api/problem";
import { wrap } from "@/lib/api/route";
import { confirmOperatorSignIn } from "@/lib/console/operator-sign-in";
import { OPERATOR_SESSION_MAX_AGE_SECONDS } from "@/lib/console/operator-sessions";
import { consoleCookies, setCookieHeader } from "@/app/_server/console-route";

const body = z.strictObject({ token: z.string().min(1).max(200) });

/** Completes a console sign-in: the emailed token (single-use) for a console session cookie. */
export const POST = wrap({ body, maxBodyBytes: 4 * 1024 }, async () => ({}), async ({ body: { token } }) => {
  const session = await confirmOperatorSignIn(token);
  if (!session) throw new ApiProblem(400, "invalid_token", "This sign-in link was used already or has expired. Ask for a new one.");
  return Response.json(
    { redirect: "/console" },
    {
      headers: {
        "Cache-Control": "no-store",
        "Set-Cookie": setCookieHeader(consoleCookies().session, session.token, OPERATOR_SESSION_MAX_AGE_SECONDS),
      },
    },
  );
});
