import { NotFoundError, ValidationError } from "@/lib/errors";
import { prisma } from "@/lib/db";
import { assetFromRow, fiatAsset } from "./asset-records";
import type { Asset } from "./types";
import type { Tenant } from "@/lib/tenant";

/** A built-in fiat currency or the tenant's custom asset with that code; undefined if none. */
export async function findAsset(tenant: Tenant, code: string): Promise<Asset | undefined> {
  const fiat = fiatAsset(code);
  if (fiat) return fiat;
  const row = await prisma().asset.findUnique({
    where: { platformId_liveMode_code: { platformId: tenant.platformId, liveMode: tenant.liveMode, code } },
  });
  return row ? assetFromRow(row) : undefined;
}

/** For `GET /assets/{code}`: an unknown code (or another platform's) is 404. */
export async function getAssetOrThrow(tenant: Tenant, code: string): Promise<Asset> {
  const asset = await findAsset(tenant, code);
  if (!asset) throw new NotFoundError(`No asset ${code}`);
  return asset;
}

/**
 * For modules that take an asset code in a request body (adjustments, top-ups, prices):
 * the asset with its `precision` (what the request may send) and `rates` (price of one
 * unit per fiat source; a fiat currency has rate 1 to itself). An unknown code is a 422
 * on `field`, since the request, not the URL, named it.
 */
export async function resolveAsset(tenant: Tenant, code: string, field = "asset"): Promise<Asset> {
  const asset = await findAsset(tenant, code);
  if (!asset) throw new ValidationError(`Unknown asset ${code}`, [{ field, message: `Unknown asset ${code}` }]);
  return asset;
}

/** Codes among `codes` that name neither a fiat currency nor one of the tenant's assets. */
export async function unknownAssetCodes(tenant: Tenant, codes: readonly string[]): Promise<Set<string>> {
  const custom = [...new Set(codes.filter((c) => !fiatAsset(c)))];
  if (custom.length === 0) return new Set();
  const rows = await prisma().asset.findMany({
    where: { platformId: tenant.platformId, liveMode: tenant.liveMode, code: { in: custom } },
    select: { code: true },
  });
  const known = new Set(rows.map((r) => r.code));
  return new Set(custom.filter((c) => !known.has(c)));
}
