import { findAsset } from "@/lib/catalog/get-asset";
import type { Asset } from "@/lib/catalog/types";
import type { Tenant } from "@/lib/tenant";
import type { PortalAsset } from "./types";

export function portalAsset(asset: Asset): PortalAsset {
  return { code: asset.code, name: asset.name, symbol: asset.symbol, precision: asset.precision, is_fiat: asset.isFiat };
}

/**
 * The display facts (precision, symbol) of each code, looked up once per request. A code
 * the catalog no longer knows still displays, with 2 decimals and no symbol.
 */
export async function portalAssets(tenant: Tenant, codes: Iterable<string>): Promise<Map<string, PortalAsset>> {
  const unique = [...new Set(codes)];
  const found = await Promise.all(unique.map((code) => findAsset(tenant, code)));
  return new Map(
    unique.map((code, i) => {
      const asset = found[i];
      return [code, asset ? portalAsset(asset) : { code, name: code, symbol: null, precision: 2, is_fiat: false }];
    }),
  );
}

export function assetOf(map: Map<string, PortalAsset>, code: string): PortalAsset {
  return map.get(code) ?? { code, name: code, symbol: null, precision: 2, is_fiat: false };
}
