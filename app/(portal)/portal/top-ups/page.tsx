import Link from "next/link";
import { CreditGrants } from "@/components/portal/credit-grants";
import { Prefetched } from "@/components/portal/prefetched";
import { PAGE_SIZE, portalQueries } from "@/components/portal/queries";
import { TopUpHistory } from "@/components/portal/top-up-history";
import { Card } from "@/components/ui/card";
import { requirePortalCustomer } from "@/app/_server/portal-auth";
import { tenantOf } from "@/lib/portal/portal-context";
import { listPortalCreditGrants, listPortalTopUps } from "@/lib/portal/portal-history";

export default async function TopUpsPage() {
  const session = await requirePortalCustomer();
  const tenant = tenantOf(session);
  const page = { limit: PAGE_SIZE, offset: 0 };
  const [topUps, grants] = await Promise.all([
    listPortalTopUps(tenant, session.customerId, page),
    listPortalCreditGrants(tenant, session.customerId, page),
  ]);
  return (
    <div className="space-y-6">
      <div className="flex items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">Top-ups &amp; credits</h1>
        <Link href="/portal/top-up" className="rounded-lg bg-[var(--brand)] px-4 py-2 text-sm font-medium text-white hover:opacity-90">
          Top up
        </Link>
      </div>
      <Prefetched
        data={[
          [portalQueries.topUps(0).queryKey, topUps],
          [portalQueries.creditGrants(0).queryKey, grants],
        ]}
      >
        <Card title="Top-up history">
          <TopUpHistory />
        </Card>
        <Card title="Credits">
          <CreditGrants />
        </Card>
      </Prefetched>
    </div>
  );
}
