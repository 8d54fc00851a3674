import { ConflictError, ValidationError, type FieldError } from "@/lib/errors";
import { isUniqueViolation, prisma } from "@/lib/db";
import { newId } from "@/lib/ids";
import { formatAmount, isFiat, STORED_SCALE } from "@/lib/money";
import { assetFromRow } from "./asset-records";
import type { Asset, AssetRate } from "./types";
import type { Tenant } from "@/lib/tenant";

export interface CreateAssetInput {
  code: string;
  name: string;
  /** Decimal places a request may send and the portal shows, 0..12. Storage keeps 12. */
  precision: number;
  symbol?: string;
  label?: string;
  rates?: AssetRate[];
}

/**
 * Creates a custom asset. Codes are unique per platform and mode; a fiat code (USD) is
 * built in and answers 409 like any existing asset. Each rate's source is a fiat
 * currency, at most once, with a rate > 0.
 */
export async function createAsset(tenant: Tenant, input: CreateAssetInput): Promise<Asset> {
  if (isFiat(input.code)) throw new ConflictError(`${input.code} is a built-in currency`, [{ field: "code", message: "Already exists" }]);
  const rates = input.rates ?? [];
  const errors: FieldError[] = [];
  if (!Number.isInteger(input.precision) || input.precision < 0 || input.precision > STORED_SCALE) {
    errors.push({ field: "precision", message: `Must be an integer from 0 to ${STORED_SCALE}` });
  }
  const seen = new Set<string>();
  rates.forEach((r, i) => {
    if (!isFiat(r.source)) errors.push({ field: `rates/${i}/source`, message: "Must be a supported fiat currency code" });
    if (seen.has(r.source)) errors.push({ field: `rates/${i}/source`, message: `Duplicate rate for ${r.source}` });
    if (!r.rate.gt(0)) errors.push({ field: `rates/${i}/rate`, message: "Must be greater than 0" });
    seen.add(r.source);
  });
  if (errors.length > 0) throw new ValidationError("The asset is invalid.", errors);

  try {
    const row = await prisma().asset.create({
      data: {
        id: newId("ast"),
        platformId: tenant.platformId,
        liveMode: tenant.liveMode,
        code: input.code,
        name: input.name,
        precision: input.precision,
        symbol: input.symbol ?? null,
        label: input.label ?? null,
        rates: rates.map((r) => ({ source: r.source, rate: formatAmount(r.rate) })),
      },
    });
    return assetFromRow(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError(`Asset ${input.code} already exists`, [{ field: "code", message: "Already exists" }]);
    throw error;
  }
}
