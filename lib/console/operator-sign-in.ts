import nodemailer, { type Transporter } from "nodemailer";
import { prisma } from "@/lib/db";
import { env } from "@/lib/env";
import { createOperatorSession, hashConsoleToken, newConsoleToken } from "./operator-sessions";
import { findOperatorsByEmail } from "./operators";

/**
 * Console sign-in by email magic link, without next-auth (whose one adapter is the
 * portal's): a random token is emailed, stored hashed, lives 15 minutes and is deleted by
 * the one request that uses it. The link opens /console/sign-in/confirm, whose button
 * POSTs the token, so a mail scanner fetching the link uses nothing up.
 */
export const OPERATOR_SIGN_IN_MAX_AGE_SECONDS = 15 * 60;

let transport: Transporter | undefined;

/**
 * Emails a sign-in link for each platform the address operates (usually one). An unknown
 * address sends nothing; the caller answers the same either way. Delivery is not awaited
 * by the caller's answer, so timing reveals nothing either.
 */
export async function requestOperatorSignIn(email: string): Promise<void> {
  const operators = await findOperatorsByEmail(email);
  for (const operator of operators) {
    const token = newConsoleToken();
    await prisma().operatorSignInToken.create({
      data: {
        tokenHash: hashConsoleToken(token),
        operatorId: operator.id,
        expiresAt: new Date(Date.now() + OPERATOR_SIGN_IN_MAX_AGE_SECONDS * 1000),
      },
    });
    const platform = await prisma().platform.findUnique({ where: { id: operator.platformId }, select: { name: true } });
    void deliver(operator.email, platform?.name ?? "Drawdown", confirmUrl(token)).catch((error: unknown) => {
      console.error("[console] sign-in email could not be sent:", error);
    });
  }
}

export function confirmUrl(token: string): string {
  const url = new URL("/console/sign-in/confirm", env().APP_URL);
  url.searchParams.set("token", token);
  return url.toString();
}

/**
 * Uses a sign-in token: deletes it and, if it had not expired, starts a session for its
 * operator. Null for an unknown, used or expired token. The DELETE … RETURNING makes two
 * racing requests with one token start at most one session.
 */
export async function confirmOperatorSignIn(token: string): Promise<{ token: string; expiresAt: Date } | null> {
  if (!token || token.length > 200) return null;
  const rows = await prisma().$queryRaw<{ operator_id: string; expires_at: Date }[]>`
    DELETE FROM operator_sign_in_tokens WHERE token_hash = ${hashConsoleToken(token)} RETURNING operator_id, expires_at`;
  const used = rows[0];
  if (!used || used.expires_at.getTime() <= Date.now()) return null;
  return createOperatorSession(used.operator_id);
}

async function deliver(to: string, platformName: string, link: string): Promise<void> {
  const { EMAIL_SERVER, EMAIL_FROM, NODE_ENV } = env();
  if (!EMAIL_SERVER) {
    if (NODE_ENV === "production") console.error("[console] EMAIL_SERVER is not set: sign-in emails cannot be sent");
    else console.info(`[console] EMAIL_SERVER is not set; console sign-in link for ${to} (${platformName}): ${link}`);
    return;
  }
  transport ??= nodemailer.createTransport(EMAIL_SERVER);
  const minutes = OPERATOR_SIGN_IN_MAX_AGE_SECONDS / 60;
  await transport.sendMail({
    to,
    from: EMAIL_FROM,
    subject: `Sign in to the ${platformName} console`,
    text: `Sign in to the ${platformName} billing console:\n\n${link}\n\nThe link works once and expires in ${minutes} minutes. If you did not ask for it, ignore this email.\n`,
  });
}
