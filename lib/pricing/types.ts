import type { Dec } from "@/lib/money";

/**
 * Pricing's view of a usage price (PRODUCT.md "Product"), already parsed: amounts are
 * exact decimals, never numbers. lib/catalog builds these from the stored product
 * versions; lib/pricing only reads them.
 */
export type UsageType = "unit" | "volume" | "unit_and_volume";

/** One row of a price's table for one asset. Absent dimensions: matches every event. */
export interface PriceValue {
  /** Dimension name → exact value, or "*" (any value, including a missing one). */
  dimensions?: Readonly<Record<string, string>>;
  unitPrice?: Dec;
  volumeRate?: Dec;
  /** Volume is billed per package of this many; defaults to 1. */
  packageSize?: Dec;
}

export interface AssetPricing {
  asset: string;
  values: readonly PriceValue[];
}

export interface UsageCalculation {
  eventType: string;
  usageType: UsageType;
  volumeField?: string;
  billableDimensions?: readonly string[];
  /** The `data` field naming the object an event is about (`video_id`): kept on the event. */
  sourceReferenceField?: string;
}

export interface UsagePrice {
  name: string;
  usageCalculation: UsageCalculation;
  pricing: readonly AssetPricing[];
}

/** A usage price of the product version a customer is subscribed to. */
export interface SubscribedPrice extends UsagePrice {
  productId: string;
  productVersion: number;
}

/** What one price charges for one event in one asset. `amount` is rounded to 12 places, > 0. */
export interface Fee {
  amount: Dec;
  asset: string;
  productId: string;
  productVersion: number;
  priceName: string;
}

export interface UsageEventInput {
  event_type: string;
  data: Readonly<Record<string, unknown>>;
}

/** Why a price whose event_type matched charged nothing. */
export type UnpricedReason = "invalid_volume" | "no_matching_dimensions";

export interface UnpricedPrice {
  productId: string;
  productVersion: number;
  priceName: string;
  asset: string;
  reason: UnpricedReason;
  detail: string;
}
