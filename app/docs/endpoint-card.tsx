import type { EndpointView } from "@/lib/api/openapi-view";
import { FieldTable } from "./field-table";

const methodColors: Record<string, string> = {
  GET: "bg-emerald-100 text-emerald-800",
  POST: "bg-indigo-100 text-indigo-800",
  PUT: "bg-amber-100 text-amber-800",
  PATCH: "bg-amber-100 text-amber-800",
  DELETE: "bg-rose-100 text-rose-800",
};

export function endpointAnchor(e: EndpointView): string {
  return `${e.method}-${e.path}`.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/-+$/, "");
}

export function EndpointCard({ endpoint }: { endpoint: EndpointView }) {
  const success = endpoint.responses.filter((r) => r.status.startsWith("2"));
  const errors = endpoint.responses.filter((r) => !r.status.startsWith("2"));
  return (
    <article id={endpointAnchor(endpoint)} className="rounded-lg border border-zinc-200 bg-white p-5 shadow-sm">
      <header className="flex flex-wrap items-center gap-3">
        <span className={`rounded px-2 py-0.5 font-mono text-xs font-semibold ${methodColors[endpoint.method] ?? ""}`}>
          {endpoint.method}
        </span>
        <code className="font-mono text-sm text-zinc-900">/api/v1{endpoint.path}</code>
        {!endpoint.authenticated && <span className="text-xs text-zinc-500">no API key</span>}
      </header>
      <h3 className="mt-2 font-medium text-zinc-900">{endpoint.summary}</h3>
      {endpoint.description && <p className="mt-1 text-sm text-zinc-600">{endpoint.description}</p>}

      {endpoint.parameters.length > 0 && (
        <section className="mt-4">
          <h4 className="text-sm font-semibold text-zinc-700">Parameters</h4>
          <FieldTable rows={endpoint.parameters} showIn />
        </section>
      )}
      {endpoint.body.length > 0 && (
        <section className="mt-4">
          <h4 className="text-sm font-semibold text-zinc-700">Request body (application/json)</h4>
          <FieldTable rows={endpoint.body} />
        </section>
      )}
      <section className="mt-4">
        <h4 className="text-sm font-semibold text-zinc-700">Responses</h4>
        {success.map((r) => (
          <div key={r.status} className="mt-1">
            <p className="text-sm">
              <span className="font-mono font-semibold text-emerald-700">{r.status}</span>{" "}
              <span className="text-zinc-600">{r.description}</span>
            </p>
            {r.fields.length > 0 && <FieldTable rows={r.fields} />}
          </div>
        ))}
        <ul className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-zinc-600">
          {errors.map((r) => (
            <li key={r.status}>
              <span className="font-mono font-semibold text-rose-700">{r.status}</span> {r.description}
            </li>
          ))}
        </ul>
      </section>
    </article>
  );
}
