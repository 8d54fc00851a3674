import { z } from "zod";
import { consoleCookies, consoleRoute, setCookieHeader } from "@/app/_server/console-route";

const body = z.strictObject({ live: z.boolean() });

/** The test/live switch: a cookie the console's pages and routes read their mode from. */
export const POST = consoleRoute("read_only", { body }, ({ body: { live } }) =>
  Response.json(
    { live_mode: live },
    { headers: { "Set-Cookie": setCookieHeader(consoleCookies().mode, live ? "live" : "test", 365 * 24 * 60 * 60) } },
  ),
);
