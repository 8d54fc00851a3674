import { Prefetched } from "@/components/portal/prefetched";
import { PAGE_SIZE, portalQueries } from "@/components/portal/queries";
import { UsageHistory } from "@/components/portal/usage-history";
import { Card } from "@/components/ui/card";
import { requirePortalCustomer } from "@/app/_server/portal-auth";
import { tenantOf } from "@/lib/portal/portal-context";
import { listPortalUsage } from "@/lib/portal/portal-history";

export default async function UsagePage() {
  const session = await requirePortalCustomer();
  const usage = await listPortalUsage(tenantOf(session), session.customerId, { limit: PAGE_SIZE, offset: 0 });
  return (
    <>
      <h1 className="mb-4 text-2xl font-semibold">Usage</h1>
      <Card>
        <Prefetched data={[[portalQueries.usage(0).queryKey, usage]]}>
          <UsageHistory />
        </Prefetched>
      </Card>
    </>
  );
}
