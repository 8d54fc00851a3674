import Link from "next/link";
import { notFound } from "next/navigation";
import { PostButton } from "@/components/console/developer-forms";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Cell, Table } from "@/components/ui/table";
import { requireOperator } from "@/app/_server/console-auth";
import { roleAllows } from "@/lib/console/operator-roles";
import { NotFoundError } from "@/lib/errors";
import { getWebhookEndpointOrThrow, type WebhookEndpointWithDeliveries } from "@/lib/webhooks/webhook-endpoints";

export const metadata = { title: "Webhook endpoint" };

const when = (d: Date | null) => (d ? d.toISOString().replace("T", " ").slice(0, 19) + " UTC" : "—");
const tone = { delivered: "good", pending: "warn", failed: "bad" } as const;

/** One endpoint of the operator's platform and mode: its latest deliveries, redeliver, secret rotation. Another's id is 404. */
export default async function WebhookEndpointPage({ params }: { params: Promise<{ id: string }> }) {
  const ctx = await requireOperator("read_only");
  const { id } = await params;
  let endpoint: WebhookEndpointWithDeliveries;
  try {
    endpoint = await getWebhookEndpointOrThrow(ctx.tenant, id);
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
  const canWrite = roleAllows(ctx.operator.role, "member");
  return (
    <div className="space-y-6">
      <div>
        <Link href="/console/developers" className="text-sm text-blue-700 hover:underline">
          ← Developers
        </Link>
        <h1 className="mt-1 break-all text-2xl font-semibold">{endpoint.url}</h1>
        <p className="text-sm text-zinc-600">
          <code>{endpoint.id}</code> · topics: {endpoint.topics.join(", ")} · created {when(endpoint.createdAt)}
        </p>
      </div>
      <Card title="Signing secret">
        <p className="mb-3 text-sm text-zinc-600">
          Rotating replaces the secret at once: every attempt from then on, retries included, is signed with the new one.
        </p>
        <PostButton
          url={`/api/console/webhooks/${endpoint.id}/rotate-secret`}
          label="Rotate secret"
          done="Rotated: deliveries are signed with the new secret from now on."
          confirm="Rotate the signing secret? The old one stops verifying at once."
          canWrite={canWrite}
          secretLabel="New signing secret"
        />
      </Card>
      <Card title="Latest deliveries">
        <Table label="Deliveries" head={["Event", "Status", "Attempts", "Last answer", "Next attempt", <span key="a" className="sr-only">Actions</span>]}>
          {endpoint.deliveries.map((d) => (
            <tr key={d.id} data-testid={`delivery-${d.id}`}>
              <Cell>
                <div className="font-medium">{d.type}</div>
                <code className="text-xs text-zinc-500">{d.eventId}</code>
                <div className="text-xs text-zinc-500">{when(d.createdAt)}</div>
              </Cell>
              <Cell>
                <Badge tone={tone[d.status]}>{d.status}</Badge>
              </Cell>
              <Cell>{d.attempts}</Cell>
              <Cell>
                {d.lastStatus ?? "—"}
                {d.lastError && <div className="max-w-xs truncate text-xs text-red-700" title={d.lastError}>{d.lastError}</div>}
              </Cell>
              <Cell>{when(d.nextAttemptAt)}</Cell>
              <Cell>
                {d.status !== "pending" && (
                  <PostButton url={`/api/console/webhook-deliveries/${d.id}/redeliver`} label="Redeliver" done="Queued: it is sent again now." canWrite={canWrite} />
                )}
              </Cell>
            </tr>
          ))}
        </Table>
        {endpoint.deliveries.length === 0 && <p className="text-sm text-zinc-500">Nothing sent to this endpoint yet.</p>}
      </Card>
    </div>
  );
}
