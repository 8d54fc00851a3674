import Link from "next/link";
import { Card } from "@/components/ui/card";
import { Cell, Table } from "@/components/ui/table";
import { requireOperator } from "@/app/_server/console-auth";
import { listAuditEvents } from "@/lib/console/audit-events";

export const metadata = { title: "Audit log" };

type Search = Promise<Record<string, string | string[] | undefined>>;
const PAGE = 50;

/** Every console write of the platform (both modes): who, what, on what, when. */
export default async function AuditPage({ searchParams }: { searchParams: Search }) {
  const ctx = await requireOperator("read_only");
  const rawOffset = (await searchParams).offset;
  const offset = typeof rawOffset === "string" && /^\d{1,7}$/.test(rawOffset) ? Number(rawOffset) : 0;
  const { items, total } = await listAuditEvents(ctx.platform.id, { limit: PAGE, offset });
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Audit log</h1>
      <Card title={`${total} events`}>
        <Table label="Audit events" head={["When", "Operator", "Mode", "Action", "Target", "Detail"]}>
          {items.map((e) => (
            <tr key={e.id} data-testid="audit-row">
              <Cell>{`${e.createdAt.toISOString().replace("T", " ").slice(0, 19)} UTC`}</Cell>
              <Cell>{e.operatorEmail}</Cell>
              <Cell>{e.liveMode ? "live" : "test"}</Cell>
              <Cell className="font-mono text-xs">{e.action}</Cell>
              <Cell className="font-mono text-xs">
                {e.targetType === "customer" && e.liveMode === ctx.liveMode ? (
                  <Link href={`/console/customers/${e.targetId}`} className="underline">
                    {e.targetId}
                  </Link>
                ) : (
                  `${e.targetType} ${e.targetId}`
                )}
              </Cell>
              <Cell className="max-w-xs break-words font-mono text-xs">{JSON.stringify(e.detail)}</Cell>
            </tr>
          ))}
        </Table>
        <div className="mt-3 flex gap-4 text-sm">
          {offset > 0 && (
            <Link href={`/console/audit?offset=${Math.max(0, offset - PAGE)}`} className="underline">
              Newer
            </Link>
          )}
          {offset + PAGE < total && (
            <Link href={`/console/audit?offset=${offset + PAGE}`} className="underline">
              Older
            </Link>
          )}
        </div>
      </Card>
    </div>
  );
}
