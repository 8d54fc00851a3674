import Link from "next/link";
import { Card } from "@/components/ui/card";
import { Cell, Table } from "@/components/ui/table";
import { requireOperator } from "@/app/_server/console-auth";
import { searchCustomers } from "@/lib/console/search-customers";

export const metadata = { title: "Customers" };

type Search = Promise<Record<string, string | string[] | undefined>>;

/** Search by name, email, external id or id, in the operator's platform and mode. */
export default async function CustomersPage({ searchParams }: { searchParams: Search }) {
  const { tenant, liveMode } = await requireOperator("read_only");
  const raw = (await searchParams).q;
  const q = typeof raw === "string" ? raw : "";
  const customers = await searchCustomers(tenant, q);
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
          <Table label="Customers" head={["Name", "Email", "External id", "Id", "Created"]}>
            {customers.map((c) => (
              <tr key={c.id}>
                <Cell>
                  <Link href={`/console/customers/${c.id}`} className="font-medium text-zinc-900 underline-offset-2 hover:underline">
                    {c.name ?? c.email ?? c.id}
                  </Link>
                </Cell>
                <Cell>{c.email ?? "—"}</Cell>
                <Cell>{c.externalId ?? "—"}</Cell>
                <Cell className="font-mono text-xs">{c.id}</Cell>
                <Cell>{c.createdAt.toISOString().slice(0, 10)}</Cell>
              </tr>
            ))}
          </Table>
        )}
      </Card>
    </div>
  );
}
