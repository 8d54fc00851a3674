import { Prefetched } from "@/components/portal/prefetched";
import { portalQueries } from "@/components/portal/queries";
import { TopUpForm } from "@/components/portal/top-up-form";
import { requirePortalCustomer } from "@/app/_server/portal-auth";
import { tenantOf } from "@/lib/portal/portal-context";
import { listTopUpOptions } from "@/lib/portal/portal-top-up";

export default async function TopUpPage() {
  const session = await requirePortalCustomer();
  const options = await listTopUpOptions(tenantOf(session), session.customerId);
  return (
    <div className="max-w-xl">
      <h1 className="mb-4 text-2xl font-semibold">Top up</h1>
      <Prefetched data={[[portalQueries.topUpOptions().queryKey, options]]}>
        <TopUpForm />
      </Prefetched>
    </div>
  );
}
