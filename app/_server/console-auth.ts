import { cookies } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { admitOperator, type ConsoleContext } from "@/lib/console/operator-sessions";
import type { OperatorRole } from "@/lib/console/operator-roles";
import { consoleCookies } from "./console-route";

/**
 * The console's auth facade for pages (server components): the operator's session from the
 * console's own cookie (never the portal's), their platform, and the mode cookie. Looked up
 * once per render (React cache).
 */
const currentAdmission = cache(async (least: OperatorRole) => {
  const jar = await cookies();
  const names = consoleCookies();
  return admitOperator({ session: jar.get(names.session)?.value, mode: jar.get(names.mode)?.value }, least);
});

/**
 * For console pages: { operator, platform, liveMode, tenant }, or a redirect to the
 * console's sign-in. A page needing a role the operator lacks is a 404 (the page does not
 * exist for them); the console's JSON routes answer 403.
 */
export async function requireOperator(least: OperatorRole = "read_only"): Promise<ConsoleContext> {
  const admission = await currentAdmission(least);
  if (admission.kind === "unauthenticated") redirect("/console/sign-in");
  if (admission.kind === "forbidden") notFound();
  return admission.context;
}
