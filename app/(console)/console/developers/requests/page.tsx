import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { LiveRefresh } from "@/components/console/live-refresh";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Cell, Table } from "@/components/ui/table";
import { requireOperator } from "@/app/_server/console-auth";
import { listApiKeys } from "@/lib/auth/api-keys";
import { NotFoundError } from "@/lib/errors";
import { API_REQUEST_METHODS, listApiRequests, STATUS_CLASSES } from "@/lib/request-log/list-api-requests";
import { requestLogRetentionHours } from "@/lib/request-log/record-api-request";

export const metadata = { title: "Request log" };

const PAGE_SIZE = 50;
/** How often the newest page re-renders, so a call just made shows up on its own. */
const REFRESH_MS = 5000;

/** The filters, from the query string: anything malformed is ignored rather than an error page. */
const filters = z.object({
  status: z.enum(STATUS_CLASSES).optional().catch(undefined),
  method: z.enum(API_REQUEST_METHODS).optional().catch(undefined),
  path: z.string().trim().min(1).max(200).optional().catch(undefined),
  key: z.string().regex(/^key_[0-9a-z]{1,64}$/).optional().catch(undefined),
  before: z.string().regex(/^[1-9][0-9]{0,17}$/).optional().catch(undefined),
});

const when = (d: Date) => d.toISOString().replace("T", " ").slice(0, 19) + " UTC";
const tone = (status: number) => (status >= 500 ? "bad" : status >= 400 ? "warn" : status >= 200 && status < 300 ? "good" : "neutral");

/**
 * Recent `/api/v1` calls of the operator's platform in the console's mode (lib/request-log),
 * newest first, filtered, one keyset page at a time; every role may read it.
 */
export default async function RequestLogPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await requireOperator("read_only");
  const raw = await searchParams;
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;
  const f = filters.parse(Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, one(v)])));
  const keys = await listApiKeys(ctx.tenant, { limit: 100, offset: 0 });
  const page = await listApiRequests(
    ctx.tenant,
    { statusClass: f.status, method: f.method, pathContains: f.path, apiKeyId: f.key, before: f.before },
    PAGE_SIZE,
  ).catch((error: unknown) => {
    // A key filter naming no key of this platform and mode: the page does not exist.
    if (error instanceof NotFoundError || (error as { code?: string })?.code === "not_found") notFound();
    throw error;
  });
  const mode = ctx.liveMode ? "live" : "test";
  const retention = requestLogRetentionHours();
  const href = (before?: string) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries({ status: f.status, method: f.method, path: f.path, key: f.key, before })) if (v) q.set(k, v);
    return `/console/developers/requests${q.size ? `?${q}` : ""}`;
  };
  const input = "mt-1 block w-full rounded-lg border border-zinc-300 px-3 py-2 text-sm";
  return (
    <div className="space-y-6">
      <div>
        <Link href="/console/developers" className="text-sm text-blue-700 hover:underline">
          ← Developers
        </Link>
        <h1 className="mt-1 text-2xl font-semibold">Request log</h1>
        <p className="mt-1 text-sm text-zinc-600">
          {retention === 0
            ? "Recording is off (REQUEST_LOG_RETENTION_HOURS=0)."
            : `Every API call made with one of this platform's ${mode} keys, kept ${retention} hours. Paths without query strings; no bodies.`}
        </p>
      </div>
      {!f.before && <LiveRefresh intervalMs={REFRESH_MS} />}
      <Card title="Filters">
        <form method="get" action="/console/developers/requests" className="grid grid-cols-1 gap-3 sm:grid-cols-4">
          <label className="text-sm font-medium text-zinc-700">
            Status
            <select name="status" defaultValue={f.status ?? ""} className={input}>
              <option value="">Any</option>
              {STATUS_CLASSES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label className="text-sm font-medium text-zinc-700">
            Method
            <select name="method" defaultValue={f.method ?? ""} className={input}>
              <option value="">Any</option>
              {API_REQUEST_METHODS.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          </label>
          <label className="text-sm font-medium text-zinc-700">
            Path contains
            <input name="path" defaultValue={f.path} placeholder="/customers" className={input} />
          </label>
          <label className="text-sm font-medium text-zinc-700">
            API key
            <select name="key" defaultValue={f.key ?? ""} className={input}>
              <option value="">Any</option>
              {keys.items.map((k) => (
                <option key={k.id} value={k.id}>
                  {k.prefix}…{k.name ? ` (${k.name})` : ""}
                </option>
              ))}
            </select>
          </label>
          <div className="flex items-end gap-3 sm:col-span-4">
            <button type="submit" className="min-h-10 rounded-lg bg-zinc-900 px-4 py-2 text-sm font-medium text-white hover:opacity-90">
              Apply
            </button>
            <Link href="/console/developers/requests" className="text-sm text-blue-700 hover:underline">
              Clear
            </Link>
          </div>
        </form>
      </Card>
      <Card title={`API requests (${mode} mode)`}>
        <Table label="API requests" head={["Time", "Method", "Path", "Status", "Duration", "Key", "Request id"]}>
          {page.items.map((r) => (
            <tr key={r.id} data-testid="api-request-row">
              <Cell className="whitespace-nowrap">{when(r.createdAt)}</Cell>
              <Cell>
                <code>{r.method}</code>
              </Cell>
              <Cell className="max-w-xs break-all">
                <code>{r.path}</code>
              </Cell>
              <Cell>
                <Badge tone={tone(r.status)}>{r.status}</Badge>
                {r.errorCode && <div className="mt-1 text-xs text-zinc-700">{r.errorCode}</div>}
              </Cell>
              <Cell className="whitespace-nowrap tabular-nums">{r.durationMs} ms</Cell>
              <Cell>
                {r.apiKey ? (
                  <>
                    <code>{r.apiKey.prefix}…</code>
                    {r.apiKey.name && <div className="text-xs text-zinc-500">{r.apiKey.name}</div>}
                  </>
                ) : (
                  "—"
                )}
              </Cell>
              <Cell>
                <code className="text-xs">{r.requestId}</code>
              </Cell>
            </tr>
          ))}
        </Table>
        {page.items.length === 0 && <p className="text-sm text-zinc-500">No API requests match.</p>}
        <nav aria-label="Pages" className="mt-3 flex gap-4 text-sm">
          {f.before && (
            <Link href={href()} className="text-blue-700 hover:underline">
              ← Newest
            </Link>
          )}
          {page.nextBefore && (
            <Link href={href(page.nextBefore)} className="text-blue-700 hover:underline">
              Older →
            </Link>
          )}
        </nav>
      </Card>
    </div>
  );
}
