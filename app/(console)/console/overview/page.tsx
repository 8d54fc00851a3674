import Link from "next/link";
import { Card } from "@/components/ui/card";
import { Cell, Table } from "@/components/ui/table";
import { requireOperator } from "@/app/_server/console-auth";
import { getConsoleOverview } from "@/lib/console/get-console-overview";
import type { Dec } from "@/lib/money";

export const metadata = { title: "Overview" };

function Figure({ label, value, hint, testId }: { label: string; value: string; hint?: string; testId?: string }) {
  return (
    <div className="rounded-xl border border-zinc-200 bg-white p-4 shadow-sm">
      <div className="text-xs font-medium uppercase tracking-wide text-zinc-500">{label}</div>
      <div className="mt-1 text-2xl font-semibold tabular-nums" data-testid={testId}>
        {value}
      </div>
      {hint && <div className="mt-1 text-xs text-zinc-500">{hint}</div>}
    </div>
  );
}

const amount = (d: Dec) => d.toString();

/** `YYYY-MM-DD` from `from` to `to`, both included (a month at most). */
function monthDays(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`) && days.length < 31; t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/**
 * The platform in the console's mode this UTC month: balances held, revenue, cost and
 * margin (lib/stats), customers, top-ups, refused and unbilled events, failing webhooks,
 * and a daily revenue chart per asset (bars drawn with CSS: no chart library on the client).
 */
export default async function OverviewPage() {
  const ctx = await requireOperator("read_only");
  const o = await getConsoleOverview(ctx.tenant);
  const { stats } = o;
  const assets = stats.revenue.map((r) => r.asset);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Overview</h1>
        <p className="text-sm text-zinc-600">
          {stats.from} to {stats.to} (UTC), {ctx.liveMode ? "live" : "test"} mode
        </p>
      </div>
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
        <Figure label="Customers" value={String(o.customers)} hint={`${o.activeCustomers} active this month`} testId="overview-customers" />
        <Figure label="Events" value={String(stats.events.total)} hint={`${stats.events.billed} billed`} />
        <Figure label="Refused events" value={String(stats.events.refused)} hint="balance too low or too large" testId="overview-refused" />
        <Figure label="Unbilled events" value={String(stats.events.unbilled)} hint="no matching price" testId="overview-unbilled" />
      </div>
      <div className="space-y-6">
        <Card title="Balances held now">
          <Table label="Balances per asset" head={["Asset", "Held", "Overdrawn", "Accounts"]}>
            {o.balances.map((b) => (
              <tr key={b.asset}>
                <Cell>{b.asset}</Cell>
                <Cell className="tabular-nums">{amount(b.held)}</Cell>
                <Cell className="tabular-nums">{amount(b.owed)}</Cell>
                <Cell>{b.accounts}</Cell>
              </tr>
            ))}
          </Table>
          {o.balances.length === 0 && <p className="text-sm text-zinc-500">No wallet accounts yet.</p>}
        </Card>
        <Card title="Revenue, cost and margin">
          <Table label="Margins per currency" head={["Currency", "Revenue", "Cost", "Margin", "%"]}>
            {stats.margins.map((m) => (
              <tr key={m.currency}>
                <Cell>{m.currency}</Cell>
                <Cell className="tabular-nums">{amount(m.revenue)}</Cell>
                <Cell className="tabular-nums">{amount(m.cost)}</Cell>
                <Cell className="tabular-nums">{amount(m.margin)}</Cell>
                <Cell className="tabular-nums">{m.marginPercent ? `${m.marginPercent.toFixed(1)}%` : "—"}</Cell>
              </tr>
            ))}
          </Table>
          {stats.margins.length === 0 && (
            <p className="text-sm text-zinc-500">
              {stats.revenue.length === 0 ? "No revenue this month." : `Revenue: ${stats.revenue.map((r) => `${amount(r.amount)} ${r.asset}`).join(", ")} (no costs reported).`}
            </p>
          )}
        </Card>
        <Card title="Top-ups this month">
          {stats.topUps && stats.topUps.length > 0 ? (
            <ul className="space-y-1 text-sm">
              {stats.topUps.map((t) => (
                <li key={t.currency} className="tabular-nums">
                  {t.count} top-up{t.count === 1 ? "" : "s"}: {amount(t.amount)} {t.currency}
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-zinc-500">No succeeded top-ups this month.</p>
          )}
        </Card>
        <Card title="Failing webhooks">
          {o.failingWebhooks.length === 0 ? (
            <p className="text-sm text-zinc-500">Every endpoint is delivering.</p>
          ) : (
            <ul className="space-y-1 text-sm">
              {o.failingWebhooks.map((w) => (
                <li key={w.endpointId}>
                  <Link href={`/console/developers/webhooks/${w.endpointId}`} className="break-all text-blue-700 hover:underline">
                    {w.url}
                  </Link>
                  <span className="text-zinc-600">
                    {" "}
                    · {w.failed} failed, {w.retrying} retrying
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
      {assets.map((asset) => {
        // Every day of the month, so a quiet day is an empty slot rather than missing.
        const byDay = new Map((stats.series ?? []).map((s) => [s.start, Number(s.revenue.find((r) => r.asset === asset)?.amount.toString() ?? 0)]));
        const days = monthDays(stats.from, stats.to).map((day) => ({ day, value: byDay.get(day) ?? 0 }));
        const max = Math.max(0, ...days.map((d) => d.value));
        return (
          <Card key={asset} title={`Daily revenue (${asset})`}>
            <figure>
              <div className="flex h-40 items-end gap-1" role="img" aria-label={`Daily revenue in ${asset} this month, highest ${max}`}>
                {days.map((d) => (
                  <div
                    key={d.day}
                    title={`${d.day}: ${d.value} ${asset}`}
                    className="flex-1 rounded-t bg-zinc-800"
                    style={{ height: d.value > 0 && max > 0 ? `${Math.max(2, (d.value / max) * 100)}%` : "1px" }}
                  />
                ))}
              </div>
              <figcaption className="mt-1 flex justify-between text-xs text-zinc-500">
                <span>{days[0]?.day}</span>
                <span>{days.at(-1)?.day}</span>
              </figcaption>
            </figure>
          </Card>
        );
      })}
    </div>
  );
}
