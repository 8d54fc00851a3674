import type { ReactNode } from "react";

/** A table that scrolls sideways on a narrow screen instead of squeezing its columns. */
export function Table({ head, children, label }: { head: ReactNode[]; children: ReactNode; label: string }) {
  return (
    // Focusable, so a keyboard can scroll it when it overflows (axe: scrollable-region-focusable).
    <div className="-mx-4 overflow-x-auto sm:mx-0" tabIndex={0}>
      <table className="w-full min-w-[36rem] text-left text-sm" aria-label={label}>
        <thead className="border-b border-zinc-200 text-xs uppercase tracking-wide text-zinc-500">
          <tr>
            {head.map((h, i) => (
              <th key={i} scope="col" className="px-4 py-2 font-medium sm:px-2">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">{children}</tbody>
      </table>
    </div>
  );
}

export function Cell({ children, className = "" }: { children: ReactNode; className?: string }) {
  return <td className={`px-4 py-2 align-top sm:px-2 ${className}`}>{children}</td>;
}
