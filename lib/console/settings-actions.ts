import { updatePlatformBranding, type PlatformBranding, type PlatformBrandingInput } from "@/lib/platforms/update-platform-branding";
import { updateAutoTopUpDefaults, type AutoTopUpDefaults } from "@/lib/auto-top-ups/auto-top-up-defaults";
import { updatePlatformSettings, type DefaultOverdraftLimit, type PlatformContext } from "@/lib/platforms/platform-settings";
import type { Dec } from "@/lib/money";
import { recordAuditEvent } from "./audit-events";
import type { ConsoleContext } from "./operator-sessions";

/**
 * The console's Settings writes (owners only: they change every customer's portal,
 * overdraft or alerts): lib/platforms' functions, the same the API's PATCH /accounts/self
 * uses, followed by their audit event.
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

/** The default low-balance threshold of the console's mode (null: none), as PATCH /accounts/self sets it. */
export async function updateConsoleDefaultLowBalance(ctx: ConsoleContext, threshold: Dec | null): Promise<PlatformContext> {
  const context = await updatePlatformSettings(ctx.tenant, { defaultLowBalanceThreshold: threshold });
  await recordAuditEvent(ctx, {
    action: "platform.default_low_balance_threshold_set",
    targetType: "platform",
    targetId: ctx.platform.id,
    detail: { default_low_balance_threshold: threshold?.toString() ?? null },
  });
  return context;
}

/** What the portal suggests for a first auto top-up setup (both modes); all null clears it. */
export async function updateConsoleAutoTopUpDefaults(
  ctx: ConsoleContext,
  input: { threshold: Dec | null; amount: Dec | null; monthlyCap: Dec | null },
): Promise<AutoTopUpDefaults | null> {
  const defaults = await updateAutoTopUpDefaults(ctx.platform.id, input);
  await recordAuditEvent(ctx, {
    action: "platform.auto_top_up_defaults_set",
    targetType: "platform",
    targetId: ctx.platform.id,
    detail: {
      threshold: input.threshold?.toString() ?? null,
      amount: input.amount?.toString() ?? null,
      monthly_cap: input.monthlyCap?.toString() ?? null,
    },
  });
  return defaults;
}
