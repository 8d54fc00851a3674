import Link from "next/link";
import { z } from "zod";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Cell, Table } from "@/components/ui/table";
import { requireOperator } from "@/app/_server/console-auth";
import { listEvents } from "@/lib/usage/list-events";

export const metadata = { title: "Events" };

const PAGE_SIZE = 50;

/** Why an event was not billed or was refused, for the operator (the API's `reason` codes). */
const reasonText: Record<string, string> = {
  no_matching_price: "None of the customer's subscribed prices names this event type: nothing was charged.",
  no_matching_dimensions: "A price names the event type, but no price's dimensions match the event's data: nothing was charged.",
  missing_volume_field: "The matching price is per volume, and the event's data lacks the volume field: nothing was charged.",
  invalid_volume: "The event's volume field is not a non-negative number: nothing was charged.",
  insufficient_funds: "The fees were priced (below), but the balance with its overdraft limit could not pay them: refused, nothing charged.",
  amount_too_large: "The fees were larger than a balance can hold: refused, nothing charged.",
};
const reasons = Object.keys(reasonText);
const tone = { billed: "good", unbilled: "warn", refused: "bad" } as const;

/** The filters, from the query string: anything malformed is ignored rather than an error page. */
const filters = z.object({
  customer: z.string().trim().regex(/^cust_[0-9a-z]{1,64}$/).optional().catch(undefined),
  type: z.string().trim().min(1).max(200).optional().catch(undefined),
  status: z.enum(["billed", "unbilled", "refused"]).optional().catch(undefined),
  reason: z.enum(reasons as [string, ...string[]]).optional().catch(undefined),
  from: z.iso.date().optional().catch(undefined),
  to: z.iso.date().optional().catch(undefined),
  page: z.coerce.number().int().min(0).max(10_000).catch(0),
});

const when = (d: Date) => d.toISOString().replace("T", " ").slice(0, 19) + " UTC";
const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 24 * 3600_000);

/** Usage events of the operator's platform and mode, newest first, filtered; each with its priced fees and why it was not billed. */
export default async function EventsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await requireOperator("read_only");
  const raw = await searchParams;
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;
  const f = filters.parse(Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, one(v)])));
  const { items, total } = await listEvents(
    ctx.tenant,
    {
      customerId: f.customer,
      eventType: f.type,
      status: f.status,
      reason: f.reason,
      occurredFrom: f.from ? new Date(`${f.from}T00:00:00Z`) : undefined,
      occurredTo: f.to ? dayAfter(f.to) : undefined,
    },
    { limit: PAGE_SIZE, offset: f.page * PAGE_SIZE },
  );
  const query = (page: number) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries({ customer: f.customer, type: f.type, status: f.status, reason: f.reason, from: f.from, to: f.to })) if (v) q.set(k, v);
    if (page > 0) q.set("page", String(page));
    return `/console/events${q.size ? `?${q}` : ""}`;
  };
  const input = "mt-1 block w-full rounded-lg border border-zinc-300 px-3 py-2 text-sm";
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Events</h1>
      <Card title="Filters">
        <form method="get" action="/console/events" className="grid grid-cols-1 gap-3 sm:grid-cols-3">
          <label className="text-sm font-medium text-zinc-700">
            Customer id
            <input name="customer" defaultValue={f.customer} placeholder="cust_…" className={input} />
          </label>
          <label className="text-sm font-medium text-zinc-700">
            Event type
            <input name="type" defaultValue={f.type} placeholder="api_call" className={input} />
          </label>
          <label className="text-sm font-medium text-zinc-700">
            Status
            <select name="status" defaultValue={f.status ?? ""} className={input}>
              <option value="">Any</option>
              <option value="billed">billed</option>
              <option value="unbilled">unbilled</option>
              <option value="refused">refused</option>
            </select>
          </label>
          <label className="text-sm font-medium text-zinc-700">
            Reason
            <select name="reason" defaultValue={f.reason ?? ""} className={input}>
              <option value="">Any</option>
              {reasons.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </label>
          <label className="text-sm font-medium text-zinc-700">
            Occurred from (UTC day)
            <input type="date" name="from" defaultValue={f.from} className={input} />
          </label>
          <label className="text-sm font-medium text-zinc-700">
            Occurred to (UTC day, included)
            <input type="date" name="to" defaultValue={f.to} className={input} />
          </label>
          <div className="flex items-end gap-3 sm:col-span-3">
            <button type="submit" className="min-h-10 rounded-lg bg-zinc-900 px-4 py-2 text-sm font-medium text-white hover:opacity-90">
              Apply
            </button>
            <Link href="/console/events" className="text-sm text-blue-700 hover:underline">
              Clear
            </Link>
          </div>
        </form>
      </Card>
      <Card title={`${total} event${total === 1 ? "" : "s"} (${ctx.liveMode ? "live" : "test"} mode)`}>
        <Table label="Usage events" head={["Occurred", "Event", "Customer", "Status", "Fees"]}>
          {items.map((e) => (
            <tr key={`${e.customerId}:${e.id}`} data-testid="event-row">
              <Cell className="whitespace-nowrap">{when(e.occurredAt)}</Cell>
              <Cell>
                <div className="font-medium">{e.eventType}</div>
                <code className="text-xs text-zinc-500">{e.id}</code>
                {e.subject && <div className="text-xs text-zinc-500">subject: {e.subject}</div>}
              </Cell>
              <Cell>
                <Link href={`/console/events?customer=${e.customerId}`} className="text-xs text-blue-700 hover:underline">
                  {e.customerId}
                </Link>
              </Cell>
              <Cell>
                <Badge tone={tone[e.status]}>{e.status}</Badge>
                {e.reason && (
                  <div className="mt-1 max-w-xs text-xs text-zinc-700">
                    <code>{e.reason}</code>: {reasonText[e.reason] ?? "see the API reference"}
                  </div>
                )}
              </Cell>
              <Cell>
                {e.fees.length === 0 ? (
                  <span className="text-zinc-500">—</span>
                ) : (
                  <ul className="space-y-1">
                    {e.fees.map((fee, i) => (
                      <li key={i} className="tabular-nums">
                        {fee.amount.toString()} {fee.asset}
                        <span className="text-xs text-zinc-500">
                          {" "}
                          · {fee.priceName} · {fee.productId} v{fee.productVersion} · {fee.accountId}
                        </span>
                      </li>
                    ))}
                  </ul>
                )}
                {e.costs.length > 0 && (
                  <div className="mt-1 text-xs text-zinc-500">
                    costs: {e.costs.map((c) => `${c.amount.toString()} ${c.currency}`).join(", ")}
                  </div>
                )}
              </Cell>
            </tr>
          ))}
        </Table>
        {items.length === 0 && <p className="text-sm text-zinc-500">No events match.</p>}
        <nav aria-label="Pages" className="mt-3 flex gap-4 text-sm">
          {f.page > 0 && (
            <Link href={query(f.page - 1)} className="text-blue-700 hover:underline">
              ← Newer
            </Link>
          )}
          {(f.page + 1) * PAGE_SIZE < total && (
            <Link href={query(f.page + 1)} className="text-blue-700 hover:underline">
              Older →
            </Link>
          )}
        </nav>
      </Card>
    </div>
  );
}
