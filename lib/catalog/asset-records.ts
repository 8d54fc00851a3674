import type { Asset as AssetRow } from "@/lib/generated/prisma/client";
import { Dec, fiatCurrencies } from "@/lib/money";
import type { Asset } from "./types";

/** A built-in fiat currency as an Asset: precision from lib/money, rate 1 to itself. */
export function fiatAsset(code: string): Asset | undefined {
  const fiat = fiatCurrencies.get(code);
  if (!fiat) return undefined;
  return {
    code: fiat.code,
    name: fiat.name,
    precision: fiat.precision,
    symbol: fiat.symbol,
    label: null,
    rates: [{ source: fiat.code, rate: new Dec(1) }],
    isFiat: true,
    createdAt: null,
  };
}

/** A stored custom asset; rates are kept as `[{ source, rate: "0.05" }]` (exact text). */
export function assetFromRow(row: AssetRow): Asset {
  const rates = (row.rates as { source: string; rate: string }[]).map((r) => ({ source: r.source, rate: new Dec(r.rate) }));
  return {
    code: row.code,
    name: row.name,
    precision: row.precision,
    symbol: row.symbol,
    label: row.label,
    rates,
    isFiat: false,
    createdAt: row.createdAt,
  };
}
