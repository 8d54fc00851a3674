/**
 * JSON shapes of the portal's session routes (app/api/portal/**), shared with the client
 * components. Amounts are exact decimal strings; the browser rounds them to the asset's
 * precision for display (components/portal/format.ts), never for arithmetic.
 */

export interface PortalAsset {
  code: string;
  name: string;
  symbol: string | null;
  precision: number;
  is_fiat: boolean;
}

export interface PortalAccount {
  id: string;
  name: string;
  asset: PortalAsset;
  available: string;
  /** Initiated top-ups not yet paid. */
  pending_in: string;
  /** See lowBalance() in portal-overview.ts. */
  low_balance: boolean;
}

export interface PortalSpend {
  asset: PortalAsset;
  /** Since the first of this month, 00:00 UTC. */
  this_month: string;
  /** The last 30 UTC days, oldest first, today last; days without spend are "0". */
  daily: { date: string; amount: string }[];
}

export interface PortalOverview {
  accounts: PortalAccount[];
  spend: PortalSpend[];
}

export interface PortalPage<T> {
  items: T[];
  total_count: number;
  limit: number;
  offset: number;
}

export interface PortalUsageFee {
  product: string;
  price_name: string;
  amount: string;
  asset: PortalAsset;
}

export interface PortalUsageEvent {
  id: string;
  event_type: string;
  occurred_at: string;
  subject: string | null;
  description: string | null;
  status: string;
  reason: string | null;
  fees: PortalUsageFee[];
}

export interface PortalTopUp {
  id: string;
  status: "initiated" | "succeeded" | "failed" | "expired";
  /** Paid, but held for the platform to check (docs/api-notes/top-ups.md): nothing credited yet. */
  under_review: boolean;
  amount: string;
  currency: PortalAsset;
  credit_amount: string;
  asset: PortalAsset;
  account_id: string;
  created_at: string;
}

export interface PortalCreditGrant {
  id: string;
  account_id: string;
  asset: PortalAsset;
  purpose: string;
  amount: string;
  remaining: string;
  status: string;
  effective_at: string;
  expires_at: string | null;
  created_at: string;
}

/** An account the customer can top up, paid in `currency`. */
export interface PortalTopUpOption {
  account_id: string;
  asset: PortalAsset;
  currency: PortalAsset;
  presets: string[];
}

export interface PortalQuote {
  account_id: string;
  amount: string;
  currency: PortalAsset;
  credit_amount: string;
  asset: PortalAsset;
}

export interface PortalTopUpResult {
  top_up: PortalTopUp;
  /** The destination account as of now (its balance includes the credit once paid). */
  account: PortalAccount | null;
}
