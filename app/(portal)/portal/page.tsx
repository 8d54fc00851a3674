import { AutoTopUpAlerts } from "@/components/portal/auto-top-up-notice";
import { Overview } from "@/components/portal/overview";
import { Prefetched } from "@/components/portal/prefetched";
import { portalQueries } from "@/components/portal/queries";
import { requirePortalCustomer } from "@/app/_server/portal-auth";
import { tenantOf } from "@/lib/portal/portal-context";
import { listPortalAutoTopUps } from "@/lib/portal/portal-auto-top-up";
import { getPortalOverview } from "@/lib/portal/portal-overview";

export default async function OverviewPage() {
  const session = await requirePortalCustomer();
  const tenant = tenantOf(session);
  const [overview, autoTopUps] = await Promise.all([getPortalOverview(tenant, session.customerId), listPortalAutoTopUps(tenant, session.customerId)]);
  return (
    <>
      <h1 className="mb-4 text-2xl font-semibold">Overview</h1>
      <Prefetched
        data={[
          [portalQueries.overview().queryKey, overview],
          [portalQueries.autoTopUps().queryKey, autoTopUps],
        ]}
      >
        <AutoTopUpAlerts />
        <Overview />
      </Prefetched>
    </>
  );
}
