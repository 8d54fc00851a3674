import Link from "next/link";
import { Card } from "@/components/ui/card";
import { Cell, Table } from "@/components/ui/table";
import { requireOperator } from "@/app/_server/console-auth";
import { searchCustomers } from "@/lib/console/search-customers";
import { getCustomerListFigures } from "@/lib/console/customer-list-figures";
import type { Dec } from "@/lib/money";

export const metadata = { title: "Customers" };

type Search = Promise<Record<string, string | string[] | undefined>>;

/** One line per asset or currency: `12.5 USD`; a dash when there is none. */
function Amounts({ items, testId }: { items: { unit: string; amount: Dec; extra?: string }[]; testId: string }) {
  if (items.length === 0) return <span className="text-zinc-400">—</span>;
  return (
    <ul data-testid={testId}>
      {items.map((i) => (
        <li key={i.unit} className="whitespace-nowrap tabular-nums">
          {i.amount.toString()} {i.unit}
          {i.extra && <span className="text-zinc-500"> {i.extra}</span>}
        </li>
      ))}
    </ul>
  );
}

/**
 * Search by name, email, external id or id, in the operator's platform and mode; each
 * customer with their balances and this UTC month's revenue, cost and margin (lib/stats).
 */
export default async function CustomersPage({ searchParams }: { searchParams: Search }) {
  const { tenant, liveMode } = await requireOperator("read_only");
  const raw = (await searchParams).q;
  const q = typeof raw === "string" ? raw : "";
  const customers = await searchCustomers(tenant, q);
  const figures = await getCustomerListFigures(tenant, customers.map((c) => c.id));
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Customers</h1>
      <form role="search" method="get" className="flex gap-2">
        <label htmlFor="customer-search" className="sr-only">
          Search customers
        </label>
        <input
          id="customer-search"
          name="q"
          defaultValue={q}
          placeholder="Name, email, external id or cust_…"
          className="w-full max-w-md rounded-lg border border-zinc-300 px-3 py-2 text-sm"
        />
        <button type="submit" className="rounded-lg border border-zinc-300 bg-white px-4 py-2 text-sm font-medium">
          Search
        </button>
      </form>
      <Card title={`${customers.length === 50 ? "First 50" : customers.length} ${liveMode ? "live" : "test"} customers${q ? ` matching “${q}”` : ""}`}>
        {customers.length === 0 ? (
          <p className="text-sm text-zinc-600">No customers found.</p>
        ) : (
          <Table label="Customers" head={["Name", "Email", "External id", "Available", "Revenue (month)", "Cost (month)", "Margin (month)", "Created"]}>
            {customers.map((c) => {
              const f = figures.get(c.id);
              return (
                <tr key={c.id} data-testid={`customer-row-${c.id}`}>
                  <Cell>
                    <Link href={`/console/customers/${c.id}`} className="font-medium text-zinc-900 underline-offset-2 hover:underline">
                      {c.name ?? c.email ?? c.id}
                    </Link>
                    <div className="font-mono text-xs text-zinc-500">{c.id}</div>
                  </Cell>
                  <Cell>{c.email ?? "—"}</Cell>
                  <Cell>{c.externalId ?? "—"}</Cell>
                  <Cell>
                    <Amounts testId="customer-balances" items={(f?.balances ?? []).map((b) => ({ unit: b.asset, amount: b.balance }))} />
                  </Cell>
                  <Cell>
                    <Amounts testId="customer-revenue" items={(f?.month.revenue ?? []).map((r) => ({ unit: r.asset, amount: r.amount }))} />
                  </Cell>
                  <Cell>
                    <Amounts testId="customer-cost" items={(f?.month.costs ?? []).map((r) => ({ unit: r.currency, amount: r.amount }))} />
                  </Cell>
                  <Cell>
                    <Amounts
                      testId="customer-margin"
                      items={(f?.month.margins ?? []).map((m) => ({
                        unit: m.currency,
                        amount: m.margin,
                        ...(m.marginPercent ? { extra: `(${m.marginPercent.toDecimalPlaces(1).toString()}%)` } : {}),
                      }))}
                    />
                  </Cell>
                  <Cell>{c.createdAt.toISOString().slice(0, 10)}</Cell>
                </tr>
              );
            })}
          </Table>
        )}
      </Card>
    </div>
  );
}
