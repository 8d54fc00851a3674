import { notFound } from "next/navigation";
import { AdjustBalanceForm, OpenPortalButton, OverdraftForm, RefundTopUpButton, type ConsoleAccount } from "@/components/console/customer-actions";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Cell, Table } from "@/components/ui/table";
import { requireOperator } from "@/app/_server/console-auth";
import { getCustomerOverview } from "@/lib/console/get-customer-overview";
import { roleAllows } from "@/lib/console/operator-roles";
import { NotFoundError } from "@/lib/errors";
import { adjustmentReasons } from "@/lib/wallet/create-adjustment";

export const metadata = { title: "Customer" };

const when = (d: Date | null) => (d ? `${d.toISOString().replace("T", " ").slice(0, 16)} UTC` : "—");

/**
 * One customer of the operator's platform and mode: wallet, grants, ledger, events,
 * top-ups, holds and auto top-up, with the member's actions. Another platform's id is a 404.
 */
export default async function CustomerPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await requireOperator("read_only");
  const { id } = await params;
  const overview = await getCustomerOverview(ctx.tenant, id).catch((error: unknown) => {
    if (error instanceof NotFoundError || (error as { code?: string })?.code === "not_found") notFound();
    throw error;
  });
  const canWrite = roleAllows(ctx.operator.role, "member");
  const { customer } = overview;
  const accounts: ConsoleAccount[] = overview.accounts.map((a) => ({
    id: a.id,
    name: a.name,
    asset: a.asset,
    available: a.available.toFixed(),
    overdraftLimit: a.overdraftLimit.toFixed(),
  }));
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">{customer.name ?? customer.email ?? customer.id}</h1>
          <p className="text-sm text-zinc-600">
            {customer.email ?? "no email"} · external id {customer.externalId ?? "—"} · <span className="font-mono">{customer.id}</span>
          </p>
        </div>
        {canWrite && <OpenPortalButton customerId={customer.id} />}
      </div>

      <Card title="Wallet">
        {accounts.length === 0 ? (
          <p className="text-sm text-zinc-600">No accounts yet.</p>
        ) : (
          <Table label="Wallet accounts" head={["Account", "Available", "Pending in", "Held", "Overdraft limit", "Low-balance threshold"]}>
            {overview.accounts.map((a) => (
              <tr key={a.id} data-testid={`account-${a.id}`}>
                <Cell className="font-mono">{a.id}</Cell>
                <Cell className="font-semibold">
                  <span data-testid="account-available">{a.available.toFixed()}</span> {a.asset}
                </Cell>
                <Cell>{a.pendingIn.toFixed()}</Cell>
                <Cell>{a.pendingOut.toFixed()}</Cell>
                <Cell>{a.overdraftLimit.toFixed()}</Cell>
                <Cell>{a.lowBalanceThreshold?.toFixed() ?? "—"}</Cell>
              </tr>
            ))}
          </Table>
        )}
      </Card>

      {canWrite && (
        <Card title="Adjust the balance">
          <AdjustBalanceForm customerId={customer.id} accounts={accounts} reasons={[...adjustmentReasons]} />
        </Card>
      )}
      {canWrite && accounts.length > 0 && (
        <Card title="Overdraft">
          <div className="space-y-3">
            {accounts.map((a) => (
              <OverdraftForm key={a.id} customerId={customer.id} account={a} />
            ))}
          </div>
        </Card>
      )}

      <Card title="Auto top-up">
        {overview.autoTopUps.length === 0 ? (
          <p className="text-sm text-zinc-600">Not set up.</p>
        ) : (
          <Table label="Auto top-up" head={["Account", "State", "Below", "Pay", "Monthly cap", "Failures"]}>
            {overview.autoTopUps.map((s) => (
              <tr key={s.accountId}>
                <Cell className="font-mono">{s.accountId}</Cell>
                <Cell>{s.enabled ? <Badge tone="good">on</Badge> : <Badge>off{s.disabledReason ? ` (${s.disabledReason})` : ""}</Badge>}</Cell>
                <Cell>{s.threshold.toFixed()}</Cell>
                <Cell>
                  {s.amount.toFixed()} {s.currency.toUpperCase()}
                </Cell>
                <Cell>{s.monthlyCap.toFixed()}</Cell>
                <Cell>{s.consecutiveFailures}</Cell>
              </tr>
            ))}
          </Table>
        )}
      </Card>

      <Card title="Ledger transactions (latest 25)">
        <Table label="Ledger transactions" head={["When", "Kind", "Description", "Entries", "Id"]}>
          {overview.transactions.map((t) => (
            <tr key={t.id} data-testid="ledger-row">
              <Cell>{when(t.createdAt)}</Cell>
              <Cell>{t.kind}</Cell>
              <Cell>{t.description ?? "—"}</Cell>
              <Cell>
                {t.entries.map((e, i) => (
                  <div key={i} className="font-mono text-xs">
                    {e.accountId} {e.amount.gte(0) ? "+" : ""}
                    {e.amount.toFixed()} ({e.kind})
                  </div>
                ))}
              </Cell>
              <Cell className="font-mono text-xs">{t.id}</Cell>
            </tr>
          ))}
        </Table>
      </Card>

      <Card title="Credit grants (latest 25)">
        <Table label="Credit grants" head={["Account", "Purpose", "Amount", "Remaining", "Expires", "Status"]}>
          {overview.creditGrants.map((g) => (
            <tr key={g.id}>
              <Cell className="font-mono">{g.accountId}</Cell>
              <Cell>{g.purpose}</Cell>
              <Cell>{g.amount.toFixed()}</Cell>
              <Cell>{g.remaining.toFixed()}</Cell>
              <Cell>{when(g.expiresAt)}</Cell>
              <Cell>{g.status}</Cell>
            </tr>
          ))}
        </Table>
      </Card>

      <Card title="Usage events (latest 25)">
        <Table label="Usage events" head={["When", "Type", "Status", "Fees", "Id"]}>
          {overview.events.map((e) => (
            <tr key={e.id}>
              <Cell>{when(e.createdAt)}</Cell>
              <Cell>{e.eventType}</Cell>
              <Cell>{e.status}</Cell>
              <Cell>
                {e.fees.map((f, i) => (
                  <div key={i} className="font-mono text-xs">
                    {f.amount.toFixed()} {f.asset}
                  </div>
                ))}
              </Cell>
              <Cell className="font-mono text-xs">{e.id}</Cell>
            </tr>
          ))}
        </Table>
      </Card>

      <Card title="Holds (open first, then the latest)">
        {overview.holds.length === 0 ? (
          <p className="text-sm text-zinc-600">No holds.</p>
        ) : (
          <Table label="Holds" head={["Status", "Held", "Captured", "Released", "Expires", "Reference", "Id"]}>
            {overview.holds.map((h) => (
              <tr key={h.id} data-testid="hold-row">
                <Cell>{h.status === "held" ? <Badge tone="warn">held</Badge> : h.status}</Cell>
                {(["amount", "captured", "released"] as const).map((field) => (
                  <Cell key={field}>
                    {h.amounts.map((a) => (
                      <div key={a.accountId} className="font-mono text-xs">
                        {a[field].toFixed()} {a.asset}
                      </div>
                    ))}
                  </Cell>
                ))}
                <Cell>{when(h.expiresAt)}</Cell>
                <Cell className="font-mono text-xs">{h.reference}</Cell>
                <Cell className="font-mono text-xs">{h.id}</Cell>
              </tr>
            ))}
          </Table>
        )}
      </Card>

      <Card title="Top-ups (latest 25)">
        <Table label="Top-ups" head={["When", "Status", "Paid", "Credit", "Refunded", "Review", "Id", <span key="actions" className="sr-only">Actions</span>]}>
          {overview.topUps.map((t) => (
            <tr key={t.id}>
              <Cell>{when(t.createdAt)}</Cell>
              <Cell>{t.status}</Cell>
              <Cell>
                {t.amount.toFixed()} {t.currency.toUpperCase()}
              </Cell>
              <Cell>
                {t.creditAmount.toFixed()} {t.asset}
              </Cell>
              <Cell>{t.refundedAmount.toFixed()}</Cell>
              <Cell>{t.review ? `${t.review.reason}${t.review.resolution ? ` (${t.review.resolution})` : ""}` : "—"}</Cell>
              <Cell className="font-mono text-xs">{t.id}</Cell>
              <Cell>
                {canWrite && t.status === "succeeded" && t.paymentIntentId && t.amount.gt(t.refundedAmount) && (
                  <RefundTopUpButton topUpId={t.id} refundable={t.amount.minus(t.refundedAmount).toFixed()} currency={t.currency.toUpperCase()} />
                )}
              </Cell>
            </tr>
          ))}
        </Table>
      </Card>
    </div>
  );
}
