"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { accountLabel, formatMoney, isPositive } from "./format";
import { Money } from "./money";
import { portalQueries } from "./queries";
import { SpendChart } from "./spend-chart";

/** Balances, low-balance warning, this month's spend and the 30-day chart; refreshed every 10 s. */
export function Overview() {
  const { data } = useQuery({ ...portalQueries.overview(), refetchInterval: 10_000 });
  if (!data) return null;
  const low = data.accounts.filter((a) => a.low_balance);
  return (
    <div className="space-y-4">
      {low.length > 0 && (
        <div role="alert" className="rounded-xl border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900">
          <p className="font-medium">Low balance</p>
          <p className="mt-1">
            {low.map((a) => `Your ${accountLabel(a.id, a.asset)} is ${formatMoney(a.available, a.asset)}`).join("; ")}.{" "}
            <Link href="/portal/top-up" className="font-medium underline">
              Top up
            </Link>{" "}
            to keep using the service.
          </p>
        </div>
      )}

      <div className="grid gap-4 sm:grid-cols-2">
        {data.accounts.length === 0 && (
          <Card title="Balance">
            <p className="text-3xl font-semibold">$0.00</p>
            <p className="mt-1 text-sm text-zinc-500">Your wallet is empty.</p>
          </Card>
        )}
        {data.accounts.map((account) => (
          <Card key={account.id} title={accountLabel(account.id, account.asset)}>
            <p className="text-3xl font-semibold tabular-nums">
              <Money amount={account.available} asset={account.asset} testId={`balance-${account.id}`} />
            </p>
            {isPositive(account.pending_in) && (
              <p className="mt-1 text-sm text-zinc-500">
                +<Money amount={account.pending_in} asset={account.asset} /> pending
              </p>
            )}
            {isPositive(account.reserved) && (
              <p className="mt-1 text-sm text-zinc-500">
                <Money amount={account.reserved} asset={account.asset} testId={`reserved-${account.id}`} /> reserved for work in
                progress
              </p>
            )}
          </Card>
        ))}
      </div>

      {data.spend.map((spend) => (
        <Card
          key={spend.asset.code}
          title={`${spend.asset.name} spend`}
          action={
            <span className="text-sm text-zinc-600">
              This month:{" "}
              <strong>
                <Money amount={spend.this_month} asset={spend.asset} testId={`spend-month-${spend.asset.code}`} />
              </strong>
            </span>
          }
        >
          <SpendChart spend={spend} />
        </Card>
      ))}
    </div>
  );
}
