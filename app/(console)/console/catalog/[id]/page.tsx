import Link from "next/link";
import { notFound } from "next/navigation";
import { SimulateForm, VersionActions } from "@/components/console/catalog-forms";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Cell, Table } from "@/components/ui/table";
import { requireOperator } from "@/app/_server/console-auth";
import { getProductOrThrow } from "@/lib/catalog/get-product";
import type { PriceInput, ProductWithVersions } from "@/lib/catalog/types";
import { roleAllows } from "@/lib/console/operator-roles";
import { NotFoundError } from "@/lib/errors";

export const metadata = { title: "Product" };

/** A price's rows: one per asset and value (dimensions), with what it charges. */
function priceRows(price: PriceInput) {
  if (price.type === "fixed") {
    return price.pricing.map((p) => ({ key: `${price.name}:${p.asset}`, name: price.name, what: `fixed, every ${price.interval}`, asset: p.asset, dims: "—", charge: `${p.amount.toString()} per ${price.interval}` }));
  }
  const u = price.usage_calculation;
  const what = `${u.event_type} · ${u.usage_type}${u.volume_field ? ` (${u.volume_field})` : ""}`;
  return price.pricing.flatMap((p) =>
    p.values.map((v, i) => ({
      key: `${price.name}:${p.asset}:${i}`,
      name: price.name,
      what,
      asset: p.asset,
      dims: v.dimensions && Object.keys(v.dimensions).length > 0 ? Object.entries(v.dimensions).map(([k, x]) => `${k}=${x}`).join(", ") : "any",
      charge: [
        v.unit_price !== undefined ? `${v.unit_price.toString()} per event` : null,
        v.volume_rate !== undefined ? `${v.volume_rate.toString()} per unit of volume` : null,
        v.package_size !== undefined ? `in packages of ${v.package_size.toString()}` : null,
      ]
        .filter(Boolean)
        .join(", "),
    })),
  );
}

/** One product of the operator's platform and mode: every version with its prices as a table, publish / make default, and a simulator. */
export default async function ProductPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await requireOperator("read_only");
  const { id } = await params;
  let product: ProductWithVersions;
  try {
    product = await getProductOrThrow(ctx.tenant, id);
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
  const canWrite = roleAllows(ctx.operator.role, "member");
  const versions = [...product.versions].sort((a, b) => b.version - a.version);
  return (
    <div className="space-y-6">
      <div>
        <Link href="/console/catalog" className="text-sm text-blue-700 hover:underline">
          ← Catalog
        </Link>
        <h1 className="mt-1 text-2xl font-semibold">{product.name}</h1>
        <p className="text-sm text-zinc-600">
          <code>{product.code}</code> · <code>{product.id}</code> · default version {product.defaultVersion === null ? "none yet" : `v${product.defaultVersion}`}
        </p>
      </div>
      {versions.map((v) => {
        const eventTypes = [...new Set(v.prices.flatMap((p) => (p.type === "usage_based" ? [p.usage_calculation.event_type] : [])))];
        return (
          <Card
            key={v.version}
            title={
              <span className="flex items-center gap-2">
                Version {v.version} <Badge tone={v.status === "published" ? "good" : "warn"}>{v.status}</Badge>
                {v.isDefault && <Badge>default</Badge>}
              </span>
            }
          >
            <Table label={`Prices of version ${v.version}`} head={["Price", "Usage", "Asset", "Dimensions", "Charge"]}>
              {v.prices.flatMap(priceRows).map((r) => (
                <tr key={r.key}>
                  <Cell>{r.name}</Cell>
                  <Cell>{r.what}</Cell>
                  <Cell>{r.asset}</Cell>
                  <Cell>{r.dims}</Cell>
                  <Cell className="tabular-nums">{r.charge}</Cell>
                </tr>
              ))}
            </Table>
            <div className="mt-4 space-y-4">
              <VersionActions productId={product.id} version={v.version} status={v.status} isDefault={v.isDefault} canWrite={canWrite} />
              <SimulateForm productId={product.id} version={v.version} eventTypes={eventTypes} />
            </div>
          </Card>
        );
      })}
    </div>
  );
}
