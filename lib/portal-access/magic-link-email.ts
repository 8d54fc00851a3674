import nodemailer, { type Transporter } from "nodemailer";
import { prisma } from "@/lib/db";
import { env } from "@/lib/env";
import { findCustomerByIdentity, parseIdentity } from "./magic-link-identity";
import { authBaseUrl } from "./session-cookie";

/**
 * Sends the magic-link email (next-auth's sendVerificationRequest). The link in the email
 * opens /sign-in/confirm, a page whose button completes sign-in: mail scanners that fetch
 * every link in a message would otherwise use the single-use token up before the customer
 * clicks. Only an address that is exactly one customer of the platform gets an email; for
 * any other the request looks the same to the browser and nothing is sent.
 *
 * Delivery runs after the response (not awaited), so the answer takes as long whether or
 * not the address is a customer; an SMTP failure is logged, not shown.
 */

export const MAGIC_LINK_MAX_AGE_SECONDS = 15 * 60;

let transport: Transporter | undefined;
function mailer(server: string): Transporter {
  transport ??= nodemailer.createTransport(server);
  return transport;
}

/** `/sign-in/confirm?…` with the parameters of next-auth's callback URL. */
export function confirmUrlFor(callbackUrl: string): string {
  const from = new URL(callbackUrl);
  const confirm = new URL("/sign-in/confirm", authBaseUrl());
  for (const key of ["token", "email", "callbackUrl"]) {
    const value = from.searchParams.get(key);
    if (value !== null) confirm.searchParams.set(key, value);
  }
  return confirm.toString();
}

export async function sendMagicLink(params: { identifier: string; url: string }): Promise<void> {
  void deliver(params).catch((error: unknown) => {
    console.error("[auth] magic-link email could not be sent:", error);
  });
}

async function deliver({ identifier, url }: { identifier: string; url: string }): Promise<void> {
  const identity = parseIdentity(identifier);
  const customer = identity && (await findCustomerByIdentity(identity));
  if (!customer) return;
  const platform = await prisma().platform.findUnique({ where: { id: customer.platformId }, select: { name: true } });
  const platformName = platform?.name ?? "Billing";
  const link = confirmUrlFor(url);
  const { EMAIL_SERVER, EMAIL_FROM, NODE_ENV } = env();
  if (!EMAIL_SERVER) {
    if (NODE_ENV === "production") {
      console.error("[auth] EMAIL_SERVER is not set: magic-link emails cannot be sent");
    } else {
      console.info(`[auth] EMAIL_SERVER is not set; magic link for ${customer.email} (${platformName}): ${link}`);
    }
    return;
  }
  const minutes = MAGIC_LINK_MAX_AGE_SECONDS / 60;
  await mailer(EMAIL_SERVER).sendMail({
    to: customer.email,
    from: EMAIL_FROM,
    subject: `Sign in to ${platformName} billing`,
    text: `Sign in to ${platformName} billing:\n\n${link}\n\nThe link works once and expires in ${minutes} minutes. If you did not ask for it, ignore this email.\n`,
    html: html(platformName, link, minutes),
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function html(platformName: string, link: string, minutes: number): string {
  const name = escapeHtml(platformName);
  const href = escapeHtml(link);
  return `<!doctype html><html><body style="font-family:system-ui,sans-serif;background:#f8fafc;padding:24px">
<div style="max-width:480px;margin:auto;background:#fff;border-radius:12px;padding:24px">
<h1 style="font-size:20px;margin:0 0 12px">Sign in to ${name} billing</h1>
<p><a href="${href}" style="display:inline-block;background:#111827;color:#fff;padding:10px 16px;border-radius:8px;text-decoration:none">Sign in</a></p>
<p style="color:#64748b;font-size:14px">The link works once and expires in ${minutes} minutes. If you did not ask for it, ignore this email.</p>
</div></body></html>`;
}
