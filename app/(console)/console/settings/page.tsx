import { BrandingForm, DefaultOverdraftForm } from "@/components/console/settings-forms";
import { Card } from "@/components/ui/card";
import { requireOperator } from "@/app/_server/console-auth";
import { roleAllows } from "@/lib/console/operator-roles";
import { getPlatformBranding } from "@/lib/portal/portal-context";
import { getPlatformContext } from "@/lib/platforms/platform-settings";

export const metadata = { title: "Settings" };

/** The platform's name and portal branding (both modes) and the mode's default overdraft limit; owners change them. */
export default async function SettingsPage() {
  const ctx = await requireOperator("read_only");
  const canWrite = roleAllows(ctx.operator.role, "owner");
  const [branding, context] = await Promise.all([getPlatformBranding(ctx.platform.id), getPlatformContext(ctx.tenant)]);
  const mode = ctx.liveMode ? "live" : "test";
  const limit = context.defaultOverdraftLimit;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Settings</h1>
      {!canWrite && <p className="text-sm text-zinc-600">Only owners change settings.</p>}
      <Card title="Branding (the billing portal's header, both modes)">
        <BrandingForm name={branding?.name ?? ctx.platform.name} brandColor={branding?.brandColor ?? "#4f46e5"} canWrite={canWrite} />
      </Card>
      <Card title={`Overdraft (${mode} mode)`}>
        <p className="mb-3 text-sm text-zinc-600">
          Applies to every account without a limit of its own, from its next charge. A limit lower than what such an account already owes is refused.
        </p>
        <DefaultOverdraftForm limit={limit === "unlimited" ? limit : limit.toString()} canWrite={canWrite} mode={mode} />
      </Card>
    </div>
  );
}
