"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Pagination } from "@/components/ui/pagination";
import { Cell, Table } from "@/components/ui/table";
import { accountLabel, formatDateTime } from "./format";
import { Money } from "./money";
import { PAGE_SIZE, portalQueries } from "./queries";

export const topUpStatus = {
  initiated: { tone: "warn", label: "Pending" },
  under_review: { tone: "warn", label: "Under review" },
  succeeded: { tone: "good", label: "Paid" },
  failed: { tone: "bad", label: "Failed" },
  expired: { tone: "neutral", label: "Expired" },
} as const;

export function TopUpHistory() {
  const [offset, setOffset] = useState(0);
  const { data } = useQuery({
    ...portalQueries.topUps(offset),
    placeholderData: keepPreviousData,
    refetchInterval: offset === 0 ? 15_000 : false,
  });
  const page = data;
  if (!page) return null;
  if (page.total_count === 0) return <p className="text-sm text-zinc-500">No top-ups yet.</p>;
  return (
    <>
      <Table label="Top-up history" head={["Date", "Paid", "Credited", "Account", "Status"]}>
        {page.items.map((t) => (
          <tr key={t.id}>
            <Cell className="whitespace-nowrap text-zinc-600">{formatDateTime(t.created_at)}</Cell>
            <Cell className="tabular-nums">
              <Money amount={t.amount} asset={t.currency} />
            </Cell>
            <Cell className="tabular-nums">
              <Money amount={t.credit_amount} asset={t.asset} />
            </Cell>
            <Cell className="text-zinc-600">{accountLabel(t.account_id, t.asset)}</Cell>
            <Cell>
              <span className="flex flex-wrap gap-1">
                <StatusBadge status={topUpStatus[t.under_review ? "under_review" : t.status]} />
                {t.automatic && <Badge tone="neutral">Automatic</Badge>}
              </span>
            </Cell>
          </tr>
        ))}
      </Table>
      <Pagination offset={offset} limit={PAGE_SIZE} total={page.total_count} onChange={setOffset} />
    </>
  );
}

function StatusBadge({ status }: { status: (typeof topUpStatus)[keyof typeof topUpStatus] }) {
  return <Badge tone={status.tone}>{status.label}</Badge>;
}
