import { Prefetched } from "@/components/portal/prefetched";
import { portalQueries } from "@/components/portal/queries";
import { TopUpResult } from "@/components/portal/top-up-result";
import { loadTopUpResult } from "@/app/_server/top-up-result-page";

/** Stripe Checkout's success_url: waits for the webhook, then shows the new balance. */
export default async function TopUpSuccessPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <div className="max-w-xl">
      <Prefetched data={[[portalQueries.topUp(id).queryKey, await loadTopUpResult(id)]]}>
        <TopUpResult topUpId={id} returnedFrom="success" />
      </Prefetched>
    </div>
  );
}
