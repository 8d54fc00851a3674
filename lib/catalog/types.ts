import type { Dec } from "@/lib/money";

/** Price of one unit of an asset in a fiat `source` currency (0.05 USD: $1 buys 20 units). */
export interface AssetRate {
  source: string;
  rate: Dec;
}

/** A custom asset of the platform, or a built-in fiat currency (`isFiat`, no createdAt). */
export interface Asset {
  code: string;
  name: string;
  precision: number;
  symbol: string | null;
  label: string | null;
  rates: AssetRate[];
  isFiat: boolean;
  createdAt: Date | null;
}

// ------------------------------------------------------------------ price definitions
// The shape of PRODUCT.md's `prices[]`, snake_case like the API, with exact amounts. The
// API schema (lib/api/schemas/catalog.ts) validates a request into these; a product
// version stores them as JSON with amounts as decimal strings (see price-definition.ts).

export interface PriceValueInput {
  /** Dimension → exact value or "*". A billable dimension left out acts as "*". */
  dimensions?: Record<string, string>;
  unit_price?: Dec;
  volume_rate?: Dec;
  package_size?: Dec;
}

export interface UsagePriceInput {
  name: string;
  type: "usage_based";
  billing_model: { type: "real_time" };
  usage_calculation: {
    event_type: string;
    usage_type: "unit" | "volume" | "unit_and_volume";
    volume_field?: string;
    billable_dimensions?: string[];
    /** Credyt's `data` field naming the object an event is about; stored and answered. */
    source_reference_field?: string;
  };
  pricing: { asset: string; values: PriceValueInput[] }[];
}

/**
 * A recurring amount per `interval`. Stored and shown with the product; usage events never
 * charge it (the top-ups-only model has no recurring billing run yet).
 */
export interface FixedPriceInput {
  name: string;
  type: "fixed";
  billing_model: { type: "recurring" };
  interval: "day" | "week" | "month" | "year";
  pricing: { asset: string; amount: Dec }[];
}

export type PriceInput = UsagePriceInput | FixedPriceInput;

export type ProductVersionStatus = "draft" | "published";

/** A version number, or `"default"`: whichever version is the product's default when read. */
export type ProductVersionRef = number | "default";

export interface ProductVersion {
  version: number;
  status: ProductVersionStatus;
  isDefault: boolean;
  prices: PriceInput[];
  createdAt: Date;
  publishedAt: Date | null;
}

export interface Product {
  id: string;
  code: string;
  name: string;
  defaultVersion: number | null;
  latestVersion: number;
  createdAt: Date;
}

/** A product with one of its versions: what creating or changing a version answers. */
export interface ProductWithVersion extends Product {
  current: ProductVersion;
}

export interface ProductWithVersions extends Product {
  versions: ProductVersion[];
}
