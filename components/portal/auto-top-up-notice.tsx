"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import type { PortalAutoTopUp } from "@/lib/portal/types";
import { Button } from "@/components/ui/button";
import { fetchJson } from "./fetch-json";
import { accountLabel, formatDateTime, formatMoney } from "./format";
import { portalQueries } from "./queries";

const disabledReasons: Record<string, string> = {
  failures: "Auto top-up switched itself off after three failed payments in a row.",
  card_removed: "Auto top-up is off: the card it paid with was removed.",
  platform: "Auto top-up was switched off by your provider.",
};

/**
 * What went wrong with an account's auto top-up: the last attempt that failed or hit the
 * monthly cap, and whether it switched itself off. "Top up now" pays the same amount
 * through Checkout at once (a card that needs authentication can do it there).
 */
export function AutoTopUpNotice({ settings }: { settings: PortalAutoTopUp }) {
  const failure = settings.last_failure;
  const reason = !settings.enabled && settings.disabled_reason ? disabledReasons[settings.disabled_reason] : undefined;
  const pay = useMutation({
    mutationFn: () =>
      fetchJson<{ redirect_url: string }>("/api/portal/top-ups", {
        method: "POST",
        body: { account_id: settings.account_id, amount: failure?.amount ?? settings.amount ?? settings.suggested.amount },
      }),
    onSuccess: ({ redirect_url }) => window.location.assign(redirect_url),
  });
  if (!failure && !reason) return null;
  const amount = failure?.amount ?? settings.amount ?? settings.suggested.amount;

  return (
    <div role="alert" data-testid="auto-top-up-failure" className="rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-800">
      {failure && (
        <p>
          <strong>{failure.status === "capped" ? "Auto top-up skipped" : "Auto top-up failed"}</strong> for your{" "}
          {accountLabel(settings.account_id, settings.asset)} on {formatDateTime(failure.created_at)}: {failure.message}
        </p>
      )}
      {reason && <p className={failure ? "mt-1" : ""}>{reason}</p>}
      <Button className="mt-2" onClick={() => pay.mutate()} disabled={pay.isPending || pay.isSuccess}>
        {pay.isPending || pay.isSuccess ? "Opening checkout…" : `Top up ${formatMoney(amount, settings.currency)} now`}
      </Button>
      {pay.isError && <p className="mt-1">{pay.error.message}</p>}
    </div>
  );
}

/** The overview's copy of the notices, for customers who do not open the Top up page. */
export function AutoTopUpAlerts() {
  const { data: accounts = [] } = useQuery({ ...portalQueries.autoTopUps(), refetchInterval: 15_000 });
  const failing = accounts.filter((a) => a.last_failure || (!a.enabled && a.disabled_reason));
  if (failing.length === 0) return null;
  return (
    <div className="mb-4 space-y-2">
      {failing.map((settings) => (
        <AutoTopUpNotice key={settings.account_id} settings={settings} />
      ))}
    </div>
  );
}
