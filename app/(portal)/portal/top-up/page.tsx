import { AutoTopUpForms } from "@/components/portal/auto-top-up-form";
import { Prefetched } from "@/components/portal/prefetched";
import { portalQueries } from "@/components/portal/queries";
import { SavedCards } from "@/components/portal/saved-cards";
import { TopUpForm } from "@/components/portal/top-up-form";
import { requirePortalCustomer } from "@/app/_server/portal-auth";
import { listPortalAutoTopUps } from "@/lib/portal/portal-auto-top-up";
import { listPortalCards } from "@/lib/portal/portal-cards";
import { tenantOf } from "@/lib/portal/portal-context";
import { listTopUpOptions } from "@/lib/portal/portal-top-up";

const cardOutcomes: Record<string, { text: string; tone: string }> = {
  saved: { text: "Your card is saved. You can now turn on auto top-up.", tone: "border-emerald-200 bg-emerald-50 text-emerald-800" },
  cancelled: { text: "No card was saved.", tone: "border-zinc-200 bg-zinc-50 text-zinc-700" },
};

export default async function TopUpPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const session = await requirePortalCustomer();
  const tenant = tenantOf(session);
  const [options, cards, autoTopUps, query] = await Promise.all([
    listTopUpOptions(tenant, session.customerId),
    listPortalCards(tenant, session.customerId),
    listPortalAutoTopUps(tenant, session.customerId),
    searchParams,
  ]);
  const outcome = typeof query.card === "string" ? cardOutcomes[query.card] : undefined;
  return (
    <div className="max-w-xl space-y-6">
      <h1 className="text-2xl font-semibold">Top up</h1>
      {outcome && (
        <p role="status" className={`rounded-lg border p-3 text-sm ${outcome.tone}`}>
          {outcome.text}
        </p>
      )}
      <Prefetched
        data={[
          [portalQueries.topUpOptions().queryKey, options],
          [portalQueries.cards().queryKey, cards],
          [portalQueries.autoTopUps().queryKey, autoTopUps],
        ]}
      >
        <TopUpForm />
        <AutoTopUpForms />
        <SavedCards />
      </Prefetched>
    </div>
  );
}
