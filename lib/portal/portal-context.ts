import type { PortalSession } from "@/lib/portal-access/portal-sessions";
import type { Tenant } from "@/lib/tenant";
import { prisma } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";

/** What every portal page shows around its content: the platform's branding and who is signed in. */
export interface PortalContext {
  /** `logoUrl`: an image URL the browser loads (lib/platforms/update-platform-branding.ts checks it); null: none. */
  platform: { id: string; name: string; brandColor: string; logoUrl: string | null };
  customer: { id: string; name: string | null; email: string | null };
  /** The platform's page to go back to, from the portal-session request (http(s) only). */
  returnUrl: string | null;
  liveMode: boolean;
}

export function tenantOf(session: PortalSession): Tenant {
  return { platformId: session.platformId, liveMode: session.liveMode };
}

export async function getPortalContext(session: PortalSession): Promise<PortalContext> {
  const [platform, customer] = await Promise.all([
    prisma().platform.findUnique({ where: { id: session.platformId }, select: { id: true, name: true, brandColor: true, logoUrl: true } }),
    prisma().customer.findUnique({ where: { id: session.customerId }, select: { id: true, name: true, email: true } }),
  ]);
  if (!platform || !customer) throw new NotFoundError("the session's customer no longer exists");
  return { platform, customer, returnUrl: session.returnUrl, liveMode: session.liveMode };
}

/** The sign-in page of a platform (magic link), for links from signed-out pages. */
export function platformSignInPath(platformId: string, liveMode: boolean): string {
  return `/sign-in?${new URLSearchParams({ platform: platformId, ...(liveMode ? {} : { mode: "test" }) })}`;
}

export async function getPlatformBranding(platformId: string): Promise<{ id: string; name: string; brandColor: string; logoUrl: string | null } | null> {
  if (!/^plat_[0-9a-z]{1,64}$/.test(platformId)) return null;
  return prisma().platform.findUnique({ where: { id: platformId }, select: { id: true, name: true, brandColor: true, logoUrl: true } });
}
