"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { ReactNode } from "react";
import { Card } from "@/components/ui/card";
import { accountLabel, formatMoney } from "./format";
import { Money } from "./money";
import { portalQueries } from "./queries";

/**
 * After Checkout: polls the top-up every second until the Stripe webhook has settled it,
 * then shows the outcome and the account's new balance.
 */
export function TopUpResult({ topUpId, returnedFrom }: { topUpId: string; returnedFrom: "success" | "failure" }) {
  const { data } = useQuery({
    ...portalQueries.topUp(topUpId),
    staleTime: 0,
    // Every second while unsettled, for up to two minutes (a cancelled Checkout stays
    // `initiated` until the top-up expires; the page need not poll that long).
    // A top-up held for review waits for a person: no polling.
    refetchInterval: (query) => {
      const topUp = query.state.data?.top_up;
      return topUp?.status === "initiated" && !topUp.under_review && query.state.dataUpdateCount < 120 ? 1_000 : false;
    },
  });
  if (!data) return null;
  const { top_up: topUp, account } = data;
  const paid = formatMoney(topUp.amount, topUp.currency);
  const credit = formatMoney(topUp.credit_amount, topUp.asset);
  const destination = `your ${accountLabel(topUp.account_id, topUp.asset)}`;

  let heading: string;
  let body: ReactNode;
  if (topUp.status === "succeeded") {
    heading = "Payment received";
    body = (
      <>
        <p>
          {credit} was added to {destination}.
        </p>
        {account && (
          <p className="mt-3 text-lg">
            New balance:{" "}
            <strong>
              <Money amount={account.available} asset={account.asset} testId="new-balance" />
            </strong>
          </p>
        )}
      </>
    );
  } else if (topUp.under_review) {
    heading = "Payment under review";
    body = (
      <p>
        Your payment of {paid} was received and is being checked. {credit} is added to {destination} once it is
        confirmed; there is no need to pay again.
      </p>
    );
  } else if (topUp.status === "initiated") {
    heading = returnedFrom === "success" ? "Confirming your payment…" : "Payment not completed";
    body =
      returnedFrom === "success" ? (
        <p aria-live="polite">Waiting for the payment of {paid} to be confirmed. This page updates by itself.</p>
      ) : (
        <p>The payment of {paid} was cancelled; nothing was charged. You can try again.</p>
      );
  } else {
    heading = topUp.status === "failed" ? "Payment failed" : "Payment expired";
    body = <p>The payment of {paid} did not go through; nothing was added to your balance.</p>;
  }

  return (
    <Card>
      <h1 className="text-xl font-semibold" data-testid="top-up-heading">
        {heading}
      </h1>
      <div className="mt-2 text-zinc-700">{body}</div>
      {/* The one id a customer may need: to quote this payment to the platform's support. */}
      <p className="mt-3 text-xs text-zinc-500">
        Reference: <span className="font-mono">{topUp.id}</span>
      </p>
      <div className="mt-5 flex flex-wrap gap-3 text-sm">
        <Link href="/portal" className="font-medium text-[var(--brand,#18181b)] underline">
          Back to overview
        </Link>
        {topUp.status !== "succeeded" && !topUp.under_review && (
          <Link href="/portal/top-up" className="font-medium text-[var(--brand,#18181b)] underline">
            Try again
          </Link>
        )}
      </div>
    </Card>
  );
}
