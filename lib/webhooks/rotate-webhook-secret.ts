import { randomBytes } from "node:crypto";
import type { Tenant } from "@/lib/tenant";
import { prisma } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";

/** A new signing secret, in the same form creation gives. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

/**
 * Replaces the endpoint's signing secret and returns the new one (shown once, as at creation).
 * Every attempt from now on, retries of older events included, is signed with it: the sender
 * reads the secret at each attempt. There is no overlap window: the receiver switches to the
 * new secret when it is rotated (a leaked secret must stop working at once).
 * NotFoundError for an unknown endpoint or another platform's or mode's.
 */
export async function rotateWebhookSecret(tenant: Tenant, endpointId: string): Promise<{ id: string; secret: string }> {
  const secret = newWebhookSecret();
  const { count } = await prisma().webhookEndpoint.updateMany({
    where: { id: endpointId, platformId: tenant.platformId, liveMode: tenant.liveMode },
    data: { secret },
  });
  if (count === 0) throw new NotFoundError(`no webhook endpoint ${endpointId}`);
  return { id: endpointId, secret };
}
