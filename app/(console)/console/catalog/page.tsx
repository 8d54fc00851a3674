import Link from "next/link";
import { Card } from "@/components/ui/card";
import { Cell, Table } from "@/components/ui/table";
import { requireOperator } from "@/app/_server/console-auth";
import { listAssets } from "@/lib/catalog/list-assets";
import { listProducts } from "@/lib/catalog/list-products";

export const metadata = { title: "Catalog" };

/** Products (with their default and latest versions) and custom assets with their rates, in the console's mode. */
export default async function CatalogPage() {
  const ctx = await requireOperator("read_only");
  const [products, assets] = await Promise.all([listProducts(ctx.tenant, { limit: 100, offset: 0 }), listAssets(ctx.tenant, { limit: 100, offset: 0 })]);
  const mode = ctx.liveMode ? "live" : "test";
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Catalog</h1>
      <Card title={`Products (${mode} mode)`}>
        <Table label="Products" head={["Product", "Code", "Default version", "Latest version"]}>
          {products.items.map((p) => (
            <tr key={p.id}>
              <Cell>
                <Link href={`/console/catalog/${p.id}`} className="font-medium text-blue-700 hover:underline">
                  {p.name}
                </Link>
              </Cell>
              <Cell>
                <code>{p.code}</code>
              </Cell>
              <Cell>{p.defaultVersion === null ? "none published" : `v${p.defaultVersion}`}</Cell>
              <Cell>v{p.latestVersion}</Cell>
            </tr>
          ))}
        </Table>
        {products.items.length === 0 && <p className="text-sm text-zinc-500">No products in {mode} mode: create them with POST /api/v1/products.</p>}
      </Card>
      <Card title="Custom assets and rates">
        <Table label="Assets" head={["Code", "Name", "Precision", "Rates"]}>
          {assets.items.map((a) => (
            <tr key={a.code}>
              <Cell>
                <code>{a.code}</code>
              </Cell>
              <Cell>{a.name}</Cell>
              <Cell>{a.precision}</Cell>
              <Cell>{a.rates.length === 0 ? "—" : a.rates.map((r) => `1 ${a.code} = ${r.rate.toString()} ${r.source}`).join("; ")}</Cell>
            </tr>
          ))}
        </Table>
        {assets.items.length === 0 && <p className="text-sm text-zinc-500">No custom assets; fiat currencies are built in.</p>}
      </Card>
    </div>
  );
}
