"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Pagination } from "@/components/ui/pagination";
import { Cell, Table } from "@/components/ui/table";
import { formatDateTime, sentenceCase, usageStatus } from "./format";
import { Money } from "./money";
import { PAGE_SIZE, portalQueries } from "./queries";

const statusTone = { billed: "good", unbilled: "neutral", refused: "bad" } as const;

function UsageStatus({ status, reason }: { status: string; reason: string | null }) {
  const { label, explanation } = usageStatus(status, reason);
  return (
    <>
      <Badge tone={statusTone[status as keyof typeof statusTone] ?? "neutral"}>{label}</Badge>
      {explanation && <span className="mt-1 block max-w-56 text-xs text-zinc-500">{explanation}</span>}
    </>
  );
}

/** Usage events, newest first, 20 a page; the first page refreshes every 15 s. */
export function UsageHistory() {
  const [offset, setOffset] = useState(0);
  const { data } = useQuery({
    ...portalQueries.usage(offset),
    placeholderData: keepPreviousData,
    refetchInterval: offset === 0 ? 15_000 : false,
  });
  const page = data;
  if (!page) return null;
  if (page.total_count === 0) return <p className="text-sm text-zinc-500">No usage yet.</p>;
  return (
    <>
      <Table label="Usage history" head={["Date", "Subject", "Product", "Fee", "Status"]}>
        {page.items.map((event) => (
          <tr key={event.id}>
            <Cell className="whitespace-nowrap text-zinc-600">{formatDateTime(event.occurred_at)}</Cell>
            <Cell>
              <span className="font-medium">{event.subject ?? "—"}</span>
              {event.description && <span className="block text-xs text-zinc-500">{event.description}</span>}
            </Cell>
            <Cell>
              {event.fees.length === 0 ? (
                <span className="text-zinc-500">{sentenceCase(event.event_type)}</span>
              ) : (
                event.fees.map((fee, i) => (
                  <span key={i} className="block">
                    {fee.product} <span className="text-zinc-500">· {fee.price_name}</span>
                  </span>
                ))
              )}
            </Cell>
            <Cell className="whitespace-nowrap tabular-nums">
              {event.fees.length === 0
                ? "—"
                : event.fees.map((fee, i) => (
                    <span key={i} className="block">
                      <Money amount={fee.amount} asset={fee.asset} /> <span className="text-xs text-zinc-500">{fee.asset.code}</span>
                    </span>
                  ))}
            </Cell>
            <Cell>
              <UsageStatus status={event.status} reason={event.reason} />
            </Cell>
          </tr>
        ))}
      </Table>
      <Pagination offset={offset} limit={PAGE_SIZE} total={page.total_count} onChange={setOffset} />
    </>
  );
}
