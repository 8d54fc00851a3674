import { Overview } from "@/components/portal/overview";
import { Prefetched } from "@/components/portal/prefetched";
import { portalQueries } from "@/components/portal/queries";
import { requirePortalCustomer } from "@/app/_server/portal-auth";
import { tenantOf } from "@/lib/portal/portal-context";
import { getPortalOverview } from "@/lib/portal/portal-overview";

export default async function OverviewPage() {
  const session = await requirePortalCustomer();
  const overview = await getPortalOverview(tenantOf(session), session.customerId);
  return (
    <>
      <h1 className="mb-4 text-2xl font-semibold">Overview</h1>
      <Prefetched data={[[portalQueries.overview().queryKey, overview]]}>
        <Overview />
      </Prefetched>
    </>
  );
}
