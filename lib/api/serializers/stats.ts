import type { z } from "zod";
import { amountToJson } from "@/lib/money";
import type { Stats, StatsFigures } from "@/lib/stats/get-stats";
import type { statsSchema } from "../schemas/stats";

type StatsJson = z.input<typeof statsSchema>;

function figuresJson(f: StatsFigures) {
  return {
    revenue: f.revenue.map((r) => ({ asset: r.asset, amount: amountToJson(r.amount) })),
    costs: f.costs.map((c) => ({ currency: c.currency, amount: amountToJson(c.amount) })),
    margins: f.margins.map((m) => ({
      currency: m.currency,
      revenue: amountToJson(m.revenue),
      cost: amountToJson(m.cost),
      margin: amountToJson(m.margin),
      margin_percent: m.marginPercent === null ? null : amountToJson(m.marginPercent),
    })),
    events: f.events,
    ...(f.reporting
      ? {
          reporting: {
            currency: f.reporting.currency,
            revenue: amountToJson(f.reporting.revenue),
            cost: amountToJson(f.reporting.cost),
            margin: amountToJson(f.reporting.margin),
            margin_percent: f.reporting.marginPercent === null ? null : amountToJson(f.reporting.marginPercent),
            unconverted: f.reporting.unconverted,
          },
        }
      : {}),
  };
}

export function statsToJson(s: Stats): StatsJson {
  return {
    id: s.id,
    from: s.from,
    to: s.to,
    interval: s.interval,
    ...figuresJson(s),
    ...(s.topUps ? { top_ups: s.topUps.map((t) => ({ currency: t.currency, amount: amountToJson(t.amount), count: t.count })) } : {}),
    ...(s.series ? { series: s.series.map((b) => ({ start: b.start, ...figuresJson(b) })) } : {}),
  };
}
