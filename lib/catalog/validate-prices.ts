import { ValidationError } from "@/lib/errors";
import { Dec } from "@/lib/money";
import type { PriceInput, PriceValueInput, UsagePriceInput } from "./types";

/**
 * The rules a product version's prices obey (PRODUCT.md "Products"), whoever writes them:
 * the API's zod schema reports them as 422 field errors while it parses a request
 * (lib/api/schemas/catalog.ts calls these functions), and `createProduct` /
 * `createProductVersion` check them again before storing, so the console, jobs and
 * scripts cannot store a price the API would refuse. The schema keeps only the shape
 * (types, lengths, the accepted spellings).
 */

/** A broken rule: where (a path inside the checked value) and why. */
export interface PriceRuleViolation {
  path: (string | number)[];
  message: string;
}

/**
 * PRODUCT.md cross-field rules of a usage price: `volume` needs volume_field and a
 * volume_rate on every row (no unit_price); `unit` needs unit_price (no volume fields);
 * `unit_and_volume` at least one of the two rates. Dimension names must be
 * billable_dimensions; one asset appears once per price; no two rows of an asset have the
 * same dimensions ("*" and a left-out dimension are the same). Paths start at the price.
 */
export function usagePriceViolations(price: Pick<UsagePriceInput, "usage_calculation" | "pricing">): PriceRuleViolation[] {
  const violations: PriceRuleViolation[] = [];
  const issue = (path: (string | number)[], message: string) => violations.push({ path, message });
  const calc = price.usage_calculation;
  const usesUnit = calc.usage_type !== "volume";
  const usesVolume = calc.usage_type !== "unit";
  if (usesVolume && !calc.volume_field) issue(["usage_calculation", "volume_field"], `Required for usage_type ${calc.usage_type}`);
  if (!usesVolume && calc.volume_field) issue(["usage_calculation", "volume_field"], "Only volume and unit_and_volume prices read a volume");
  const dims = new Set(calc.billable_dimensions ?? []);
  if (dims.size !== (calc.billable_dimensions ?? []).length) issue(["usage_calculation", "billable_dimensions"], "Duplicate dimension");
  violations.push(...pricedAssetViolations(price.pricing));

  price.pricing.forEach((entry, i) => {
    const seenRows = new Set<string>();
    entry.values.forEach((row: PriceValueInput, j) => {
      const at = (field: string) => ["pricing", i, "values", j, field];
      if (calc.usage_type === "unit_and_volume") {
        // Credyt's own example gives only one of the two rates: the other is 0 (withBothRates).
        if (row.unit_price === undefined && row.volume_rate === undefined) {
          issue(at("unit_price"), "Give unit_price, volume_rate or both for usage_type unit_and_volume");
        }
      } else {
        if (usesUnit && row.unit_price === undefined) issue(at("unit_price"), `Required for usage_type ${calc.usage_type}`);
        if (usesVolume && row.volume_rate === undefined) issue(at("volume_rate"), `Required for usage_type ${calc.usage_type}`);
      }
      if (!usesUnit && row.unit_price !== undefined) issue(at("unit_price"), "Not used by usage_type volume");
      if (!usesVolume && row.volume_rate !== undefined) issue(at("volume_rate"), "Not used by usage_type unit");
      if (!usesVolume && row.package_size !== undefined) issue(at("package_size"), "Not used by usage_type unit");
      for (const name of Object.keys(row.dimensions ?? {})) {
        if (!dims.has(name)) issue([...at("dimensions"), name], `"${name}" is not in usage_calculation.billable_dimensions`);
      }
      const key = JSON.stringify(Object.entries(row.dimensions ?? {}).filter(([, v]) => v !== "*").sort(([a], [b]) => (a < b ? -1 : 1)));
      if (seenRows.has(key)) issue(at("dimensions"), "Another row of this asset has the same dimensions");
      seenRows.add(key);
    });
  });
  return violations;
}

/** One asset appears once in a price's `pricing` (usage and fixed prices alike). Paths start at the price. */
export function pricedAssetViolations(pricing: readonly { asset: string }[]): PriceRuleViolation[] {
  const violations: PriceRuleViolation[] = [];
  const seen = new Set<string>();
  pricing.forEach((p, i) => {
    if (seen.has(p.asset)) violations.push({ path: ["pricing", i, "asset"], message: `${p.asset} is priced twice` });
    seen.add(p.asset);
  });
  return violations;
}

/** No two prices of a version share a name: a fee names its price. Paths start at the list. */
export function priceNameViolations(prices: readonly { name: string }[]): PriceRuleViolation[] {
  const violations: PriceRuleViolation[] = [];
  const names = new Set<string>();
  prices.forEach((p, i) => {
    if (names.has(p.name)) violations.push({ path: [i, "name"], message: `Two prices are named "${p.name}"; fees name their price` });
    names.add(p.name);
  });
  return violations;
}

/**
 * Throws a ValidationError (422) naming every broken rule as `${field}/…`
 * ("prices/0/usage_calculation/volume_field") when `prices` break any; otherwise returns.
 */
export function validatePrices(prices: readonly PriceInput[], field = "prices"): void {
  const violations = prices.flatMap((price, i) =>
    (price.type === "usage_based" ? usagePriceViolations(price) : pricedAssetViolations(price.pricing)).map((v) => ({ ...v, path: [i, ...v.path] })),
  );
  violations.push(...priceNameViolations(prices));
  if (violations.length === 0) return;
  const errors = violations.map((v) => ({ field: [field, ...v.path].join("/"), message: v.message }));
  throw new ValidationError(`Invalid prices: ${errors.map((e) => `${e.field}: ${e.message}`).join("; ")}`, errors);
}

/** A unit_and_volume row that gave one rate stores the other as 0, so the price reads as charged. */
export function withBothRates<P extends Pick<UsagePriceInput, "usage_calculation" | "pricing">>(price: P): P {
  if (price.usage_calculation.usage_type !== "unit_and_volume") return price;
  const zero = new Dec(0);
  return {
    ...price,
    pricing: price.pricing.map((entry) => ({
      ...entry,
      values: entry.values.map((row) => ({ ...row, unit_price: row.unit_price ?? zero, volume_rate: row.volume_rate ?? zero })),
    })),
  };
}

/** The prices as a version stores them: `withBothRates` applied to every usage price. */
export function storedPriceInputs(prices: readonly PriceInput[]): PriceInput[] {
  return prices.map((price) => (price.type === "usage_based" ? withBothRates(price) : price));
}
