import { updatePlatformBranding, type PlatformBranding, type PlatformBrandingInput } from "@/lib/platforms/update-platform-branding";
import { updatePlatformSettings, type DefaultOverdraftLimit, type PlatformContext } from "@/lib/platforms/platform-settings";
import { recordAuditEvent } from "./audit-events";
import type { ConsoleContext } from "./operator-sessions";

/**
 * The console's Settings writes (owners only: they change every customer's portal or
 * overdraft): lib/platforms' functions, the same the API's PATCH /accounts/self uses,
 * followed by their audit event.
 */

export async function updateConsoleBranding(ctx: ConsoleContext, input: PlatformBrandingInput): Promise<PlatformBranding> {
  const branding = await updatePlatformBranding(ctx.platform.id, input);
  await recordAuditEvent(ctx, { action: "platform.branding_updated", targetType: "platform", targetId: ctx.platform.id, detail: { ...input } });
  return branding;
}

/** The default overdraft limit of the console's mode (409 while accounts following it owe more). */
export async function updateConsoleDefaultOverdraft(ctx: ConsoleContext, limit: DefaultOverdraftLimit): Promise<PlatformContext> {
  const context = await updatePlatformSettings(ctx.tenant, { defaultOverdraftLimit: limit });
  await recordAuditEvent(ctx, {
    action: "platform.default_overdraft_limit_set",
    targetType: "platform",
    targetId: ctx.platform.id,
    detail: { default_overdraft_limit: limit === "unlimited" ? limit : limit.toString() },
  });
  return context;
}
