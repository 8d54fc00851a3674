import type { FieldRow } from "@/lib/api/openapi-view";

export function FieldTable({ rows, showIn }: { rows: (FieldRow & { in?: string })[]; showIn?: boolean }) {
  return (
    <table className="w-full text-left text-sm">
      <thead className="text-xs uppercase tracking-wide text-zinc-500">
        <tr>
          <th className="py-1 pr-4 font-medium">Field</th>
          {showIn && <th className="py-1 pr-4 font-medium">In</th>}
          <th className="py-1 pr-4 font-medium">Type</th>
          <th className="py-1 font-medium">Description</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-zinc-100">
        {rows.map((row) => (
          <tr key={`${row.in ?? ""}:${row.name}`} className="align-top">
            <td className="py-1 pr-4 font-mono text-zinc-900">
              {row.name}
              {row.required && <span className="ml-1 text-xs text-rose-600">required</span>}
            </td>
            {showIn && <td className="py-1 pr-4 text-zinc-500">{row.in}</td>}
            <td className="py-1 pr-4 font-mono text-indigo-700">{row.type}</td>
            <td className="py-1 text-zinc-600">{row.description}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
