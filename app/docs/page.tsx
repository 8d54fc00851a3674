import type { Metadata } from "next";
import { drawdownOpenApi } from "@/lib/api/openapi-document";
import { apiReference } from "@/lib/api/openapi-view";
import { EndpointCard, endpointAnchor } from "./endpoint-card";

export const metadata: Metadata = { title: "API reference · Drawdown" };

/** The API reference, rendered on the server from the same OpenAPI document clients fetch. */
export default function ApiDocsPage() {
  const doc = drawdownOpenApi();
  const tags = apiReference(doc);
  return (
    <div className="mx-auto flex max-w-6xl gap-10 px-6 py-10">
      <nav className="sticky top-10 hidden h-fit w-56 shrink-0 text-sm lg:block" aria-label="Endpoints">
        {tags.map(({ tag, endpoints }) => (
          <div key={tag} className="mb-4">
            <p className="font-semibold text-zinc-900">{tag}</p>
            <ul className="mt-1 space-y-0.5">
              {endpoints.map((e) => (
                <li key={endpointAnchor(e)}>
                  <a href={`#${endpointAnchor(e)}`} className="text-zinc-600 hover:text-indigo-700">
                    {e.summary}
                  </a>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </nav>
      <main className="min-w-0 flex-1">
        <h1 className="text-3xl font-bold text-zinc-900">{doc.info.title}</h1>
        <p className="mt-2 max-w-3xl text-zinc-600">{doc.info.description}</p>
        <section className="mt-6 max-w-3xl space-y-2 rounded-lg bg-zinc-50 p-4 text-sm text-zinc-700">
          <p>
            <strong>Authentication:</strong> send your API key as <code>Authorization: Bearer &lt;key&gt;</code> or{" "}
            <code>X-API-Key: &lt;key&gt;</code>. Keys in the query string are refused.
          </p>
          <p>
            <strong>Errors</strong> are <code>application/problem+json</code> (RFC 9457):{" "}
            <code>{"{ type, title, status, detail, errors: [{ field, message }], request_id }"}</code>. Every response
            carries an <code>X-Request-Id</code> header.
          </p>
          <p>
            <strong>Lists</strong> take <code>?limit=</code> (1–100, default 20) and <code>?offset=</code> and answer{" "}
            <code>{"{ items, total_count, limit, offset }"}</code>.
          </p>
          <p>
            The machine-readable document is at{" "}
            <a className="text-indigo-700 underline" href="/api/v1/openapi.json">
              /api/v1/openapi.json
            </a>
            .
          </p>
        </section>
        {tags.map(({ tag, endpoints }) => (
          <section key={tag} className="mt-10">
            <h2 className="text-xl font-semibold text-zinc-900">{tag}</h2>
            <div className="mt-4 space-y-4">
              {endpoints.map((e) => (
                <EndpointCard key={endpointAnchor(e)} endpoint={e} />
              ))}
            </div>
          </section>
        ))}
      </main>
    </div>
  );
}
