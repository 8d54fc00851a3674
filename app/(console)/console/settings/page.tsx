import { AutoTopUpDefaultsForm, BrandingForm, DefaultLowBalanceForm, DefaultOverdraftForm } from "@/components/console/settings-forms";
import { Card } from "@/components/ui/card";
import { requireOperator } from "@/app/_server/console-auth";
import { roleAllows } from "@/lib/console/operator-roles";
import { getPlatformBranding } from "@/lib/portal/portal-context";
import { getPlatformContext } from "@/lib/platforms/platform-settings";
import { getAutoTopUpDefaults } from "@/lib/auto-top-ups/auto-top-up-defaults";

export const metadata = { title: "Settings" };

/**
 * The platform's name and portal branding and the portal's auto top-up suggestions (both
 * modes), and the mode's default overdraft limit and low-balance threshold; owners change them.
 */
export default async function SettingsPage() {
  const ctx = await requireOperator("read_only");
  const canWrite = roleAllows(ctx.operator.role, "owner");
  const [branding, context, autoTopUp] = await Promise.all([
    getPlatformBranding(ctx.platform.id),
    getPlatformContext(ctx.tenant),
    getAutoTopUpDefaults(ctx.platform.id),
  ]);
  const mode = ctx.liveMode ? "live" : "test";
  const limit = context.defaultOverdraftLimit;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Settings</h1>
      {!canWrite && <p className="text-sm text-zinc-600">Only owners change settings.</p>}
      <Card title="Branding (the billing portal's header, both modes)">
        <BrandingForm
          name={branding?.name ?? ctx.platform.name}
          brandColor={branding?.brandColor ?? "#4f46e5"}
          logoUrl={branding?.logoUrl ?? null}
          canWrite={canWrite}
        />
      </Card>
      <Card title={`Overdraft (${mode} mode)`}>
        <p className="mb-3 text-sm text-zinc-600">
          Applies to every account without a limit of its own, from its next charge. A limit lower than what such an account already owes is refused.
        </p>
        <DefaultOverdraftForm limit={limit === "unlimited" ? limit : limit.toString()} canWrite={canWrite} mode={mode} />
      </Card>
      <Card title={`Low-balance alerts (${mode} mode)`}>
        <p className="mb-3 text-sm text-zinc-600">
          The wallet.balance_low webhook fires when a balance falls below this, for every account without a threshold of its own, from its next charge.
        </p>
        <DefaultLowBalanceForm threshold={context.defaultLowBalanceThreshold?.toString() ?? null} canWrite={canWrite} mode={mode} />
      </Card>
      <Card title="Auto top-up suggestions (the billing portal, both modes)">
        <p className="mb-3 text-sm text-zinc-600">
          What the portal&apos;s auto top-up form starts from for a customer who has not set it up yet, in the payment currency. Empty: the portal&apos;s own
          suggestion. A customer&apos;s saved settings never change.
        </p>
        <AutoTopUpDefaultsForm
          defaults={autoTopUp && { threshold: autoTopUp.threshold.toString(), amount: autoTopUp.amount.toString(), monthlyCap: autoTopUp.monthlyCap.toString() }}
          canWrite={canWrite}
        />
      </Card>
    </div>
  );
}
