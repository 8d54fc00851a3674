import Link from "next/link";
import { CreateApiKeyForm, CreateWebhookForm, PostButton } from "@/components/console/developer-forms";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Cell, Table } from "@/components/ui/table";
import { requireOperator } from "@/app/_server/console-auth";
import { listApiKeys } from "@/lib/auth/api-keys";
import { roleAllows } from "@/lib/console/operator-roles";
import { listWebhookEndpoints } from "@/lib/webhooks/webhook-endpoints";
import { WEBHOOK_TOPICS } from "@/lib/webhooks/topics";

export const metadata = { title: "Developers" };

const when = (d: Date | null) => (d ? d.toISOString().replace("T", " ").slice(0, 16) + " UTC" : "—");

/** API keys and webhook endpoints of the operator's platform, in the console's mode. */
export default async function DevelopersPage() {
  const ctx = await requireOperator("read_only");
  const canWrite = roleAllows(ctx.operator.role, "member");
  const page = { limit: 100, offset: 0 };
  const [keys, endpoints] = await Promise.all([listApiKeys(ctx.tenant, page), listWebhookEndpoints(ctx.tenant, page)]);
  const mode = ctx.liveMode ? "live" : "test";
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h1 className="text-2xl font-semibold">Developers</h1>
        <Link href="/console/developers/requests" className="text-sm font-medium text-blue-700 hover:underline">
          Request log: recent API calls →
        </Link>
      </div>
      <Card title={`API keys (${mode} mode)`}>
        <Table label="API keys" head={["Key", "Name", "Created", "Last used", "Status", <span key="a" className="sr-only">Actions</span>]}>
          {keys.items.map((k) => (
            <tr key={k.id} data-testid={`api-key-${k.id}`}>
              <Cell>
                <code>{k.prefix}…</code>
              </Cell>
              <Cell>{k.name ?? "—"}</Cell>
              <Cell>{when(k.createdAt)}</Cell>
              <Cell>{when(k.lastUsedAt)}</Cell>
              <Cell>{k.revokedAt ? <Badge tone="bad">revoked {when(k.revokedAt)}</Badge> : <Badge tone="good">active</Badge>}</Cell>
              <Cell>
                {!k.revokedAt && (
                  <PostButton
                    url={`/api/console/api-keys/${k.id}/revoke`}
                    label="Revoke"
                    done="Revoked."
                    confirm={`Revoke ${k.prefix}…? Requests with it are refused at once.`}
                    canWrite={canWrite}
                  />
                )}
              </Cell>
            </tr>
          ))}
        </Table>
        {keys.items.length === 0 && <p className="text-sm text-zinc-500">No API keys in {mode} mode.</p>}
        <div className="mt-4 max-w-md">
          <CreateApiKeyForm canWrite={canWrite} />
        </div>
      </Card>
      <Card title={`Webhook endpoints (${mode} mode)`}>
        <Table label="Webhook endpoints" head={["URL", "Topics", "Created"]}>
          {endpoints.items.map((e) => (
            <tr key={e.id}>
              <Cell>
                <Link href={`/console/developers/webhooks/${e.id}`} className="font-medium text-blue-700 hover:underline">
                  {e.url}
                </Link>
                {e.description && <div className="text-xs text-zinc-500">{e.description}</div>}
              </Cell>
              <Cell>{e.topics.join(", ")}</Cell>
              <Cell>{when(e.createdAt)}</Cell>
            </tr>
          ))}
        </Table>
        {endpoints.items.length === 0 && <p className="text-sm text-zinc-500">No webhook endpoints in {mode} mode.</p>}
        <div className="mt-4 max-w-xl">
          <CreateWebhookForm topics={WEBHOOK_TOPICS} canWrite={canWrite} />
        </div>
      </Card>
    </div>
  );
}
