"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Pagination } from "@/components/ui/pagination";
import { Cell, Table } from "@/components/ui/table";
import { formatDate } from "./format";
import { Money } from "./money";
import { PAGE_SIZE, portalQueries } from "./queries";

const purposeLabel: Record<string, string> = { paid: "Paid", promotion: "Promotion", bundled: "Included" };
const grantStatus: Record<string, { tone: "good" | "neutral" | "bad"; label: string }> = {
  live: { tone: "good", label: "Active" },
  expired: { tone: "neutral", label: "Expired" },
  reversed: { tone: "bad", label: "Reversed" },
  depleted: { tone: "neutral", label: "Used up" },
};

/** Every credit with what is left of it and when it expires (drawn down soonest-expiring first). */
export function CreditGrants() {
  const [offset, setOffset] = useState(0);
  const { data } = useQuery({
    ...portalQueries.creditGrants(offset),
    placeholderData: keepPreviousData,
  });
  const page = data;
  if (!page) return null;
  if (page.total_count === 0) return <p className="text-sm text-zinc-500">No credits yet.</p>;
  return (
    <>
      <Table label="Credit grants" head={["Added", "Type", "Amount", "Remaining", "Expires", "Status"]}>
        {page.items.map((g) => (
          <tr key={g.id}>
            <Cell className="whitespace-nowrap text-zinc-600">{formatDate(g.effective_at)}</Cell>
            <Cell>{purposeLabel[g.purpose] ?? g.purpose}</Cell>
            <Cell className="tabular-nums">
              <Money amount={g.amount} asset={g.asset} />
            </Cell>
            <Cell className="tabular-nums">
              <Money amount={g.remaining} asset={g.asset} />
            </Cell>
            <Cell className="whitespace-nowrap">{g.expires_at ? formatDate(g.expires_at) : "Never"}</Cell>
            <Cell>
              <Badge tone={grantStatus[g.status]?.tone ?? "neutral"}>{grantStatus[g.status]?.label ?? g.status}</Badge>
            </Cell>
          </tr>
        ))}
      </Table>
      <Pagination offset={offset} limit={PAGE_SIZE} total={page.total_count} onChange={setOffset} />
    </>
  );
}
