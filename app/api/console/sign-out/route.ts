import { wrap } from "@/lib/api/route";
import { deleteOperatorSession } from "@/lib/console/operator-sessions";
import { consoleCookies, requestCookie, setCookieHeader } from "@/app/_server/console-route";

/** Ends the console session (whatever state it is in) and clears its cookie. */
export const POST = wrap({ maxBodyBytes: 1024 }, async () => ({}), async ({ request }) => {
  const name = consoleCookies().session;
  const token = requestCookie(request, name);
  if (token) await deleteOperatorSession(token);
  return Response.json({ redirect: "/console/sign-in" }, { headers: { "Set-Cookie": setCookieHeader(name, "", 0) } });
});
