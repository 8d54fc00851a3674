import type { PortalSpend } from "@/lib/portal/types";
import { formatDate, formatMoney } from "./format";
import { Money } from "./money";

/**
 * Daily spend over the last 30 days as plain SVG bars (no chart library). Heights are
 * relative to the peak day, so rounding an amount to a float for drawing costs nothing;
 * the labels use the same precision rule as every amount (format.ts), so the full-height
 * bar of a $0.0029 day is labelled $0.0029, never $0.00.
 */
export function SpendChart({ spend }: { spend: PortalSpend }) {
  const values = spend.daily.map((d) => Number(d.amount));
  const max = Math.max(...values, 0);
  const width = 300;
  const height = 80;
  const gap = 2;
  const bar = width / values.length - gap;
  const peak = spend.daily[values.indexOf(max)];
  return (
    <figure>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        className="h-24 w-full"
        role="img"
        aria-label={`Daily ${spend.asset.code} spend over the last 30 days`}
        preserveAspectRatio="none"
      >
        <line x1="0" y1={height - 0.5} x2={width} y2={height - 0.5} className="stroke-zinc-200" strokeWidth="1" />
        {spend.daily.map((d, i) => {
          const h = max > 0 ? Math.max((values[i]! / max) * (height - 4), values[i]! > 0 ? 2 : 0) : 0;
          return (
            <rect key={d.date} x={i * (bar + gap)} y={height - h} width={bar} height={h} rx="1" className="fill-[var(--brand,#18181b)]">
              <title>{`${formatDate(`${d.date}T00:00:00Z`)}: ${formatMoney(d.amount, spend.asset)}`}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption className="mt-1 flex justify-between text-xs text-zinc-500">
        <span>{formatDate(`${spend.daily[0]!.date}T00:00:00Z`)}</span>
        {max > 0 && peak ? (
          <span>
            Peak <Money amount={peak.amount} asset={spend.asset} testId={`spend-peak-${spend.asset.code}`} />
          </span>
        ) : (
          <span>No spend yet</span>
        )}
        <span>Today</span>
      </figcaption>
    </figure>
  );
}
