import { createHash, randomBytes } from "node:crypto";
import { prisma } from "@/lib/db";
import { newId } from "@/lib/ids";
import type { Tenant } from "@/lib/tenant";
import { roleAllows, type OperatorRole } from "./operator-roles";
import { operatorFromRow, type Operator } from "./operators";

/**
 * Console sessions: a kind of their own, never the portal's. The cookie (its own name,
 * `consoleSessionCookieName`) holds a random token, `operator_sessions` only its SHA-256,
 * so neither a copy of the table nor a portal session can be replayed as a console session.
 */

/** Console sessions last 12 hours; signing out ends them sooner. */
export const OPERATOR_SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

export function hashConsoleToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function newConsoleToken(): string {
  return randomBytes(32).toString("base64url");
}

/** The console's cookie names; `__Host-` (Secure, path /, no Domain) when served over https. */
export function consoleCookieNames(secure: boolean): { session: string; mode: string } {
  const prefix = secure ? "__Host-" : "";
  return { session: `${prefix}drawdown-console-session`, mode: `${prefix}drawdown-console-mode` };
}

/** Starts a session for the operator; answers the cookie's token (shown nowhere else). */
export async function createOperatorSession(operatorId: string): Promise<{ token: string; expiresAt: Date }> {
  const token = newConsoleToken();
  const expiresAt = new Date(Date.now() + OPERATOR_SESSION_MAX_AGE_SECONDS * 1000);
  await prisma().operatorSession.create({
    data: { id: newId("opsess"), tokenHash: hashConsoleToken(token), operatorId, expiresAt },
  });
  return { token, expiresAt };
}

export interface ConsoleContext {
  operator: Operator;
  platform: { id: string; name: string };
  liveMode: boolean;
  /** The platform and mode every console read and write is scoped to. */
  tenant: Tenant;
}

/** The session's operator and platform, or null (unknown, expired, or operator removed). */
export async function findOperatorSession(token: string): Promise<{ operator: Operator; platform: { id: string; name: string } } | null> {
  if (!token || token.length > 200) return null;
  const session = await prisma().operatorSession.findUnique({ where: { tokenHash: hashConsoleToken(token) } });
  if (!session || session.expiresAt.getTime() <= Date.now()) return null;
  const row = await prisma().operator.findUnique({ where: { id: session.operatorId } });
  if (!row) return null;
  const platform = await prisma().platform.findUnique({ where: { id: row.platformId }, select: { id: true, name: true } });
  if (!platform) return null;
  return { operator: operatorFromRow(row), platform };
}

export type ConsoleAdmission =
  | { kind: "ok"; context: ConsoleContext }
  | { kind: "unauthenticated" }
  | { kind: "forbidden"; context: ConsoleContext };

/**
 * Who the request is, from the two console cookies' values, and whether their role reaches
 * `least`. The mode is the mode cookie's ("live" or anything else: test), so a missing or
 * odd cookie shows test data, never live.
 */
export async function admitOperator(
  cookies: { session?: string | null; mode?: string | null },
  least: OperatorRole,
): Promise<ConsoleAdmission> {
  const found = cookies.session ? await findOperatorSession(cookies.session) : null;
  if (!found) return { kind: "unauthenticated" };
  const liveMode = cookies.mode === "live";
  const context: ConsoleContext = { ...found, liveMode, tenant: { platformId: found.platform.id, liveMode } };
  return roleAllows(found.operator.role, least) ? { kind: "ok", context } : { kind: "forbidden", context };
}

/** Ends the session (sign-out); an unknown token is a no-op. */
export async function deleteOperatorSession(token: string): Promise<void> {
  await prisma().operatorSession.deleteMany({ where: { tokenHash: hashConsoleToken(token) } });
}
