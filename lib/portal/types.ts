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
  /** Held for work in progress (the account's `pending_out`: the sum of open holds); not in `available`. */
  reserved: string;
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
  /** Made by auto top-up (an off-session payment with a saved card), not through Checkout. */
  automatic: boolean;
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

/** A saved card (lib/payment-methods); `is_default` is the one auto top-up starts with. */
export interface PortalCard {
  id: string;
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
  is_default: boolean;
}

/** The newest auto top-up attempt of an account when it failed or hit the monthly cap. */
export interface PortalAutoTopUpFailure {
  id: string;
  status: "failed" | "capped";
  /** Stripe's decline code or ours (`authentication_required`, `card_declined`, `monthly_cap_reached`, …). */
  code: string | null;
  message: string;
  /** What it tried to pay, in the settings' currency. */
  amount: string;
  created_at: string;
}

/** One account's auto top-up form: its settings (null before the first save) and what it suggests. */
export interface PortalAutoTopUp {
  account_id: string;
  asset: PortalAsset;
  /** The payment currency: `amount` and `monthly_cap` are in it, `threshold` in `asset`. */
  currency: PortalAsset;
  configured: boolean;
  enabled: boolean;
  threshold: string | null;
  amount: string | null;
  monthly_cap: string | null;
  payment_method_id: string | null;
  /** Why it switched off: `failures` (three in a row), `card_removed`, `platform`. */
  disabled_reason: string | null;
  /** What succeeded auto top-ups paid this calendar month (UTC), in `currency`; null before the first save. */
  spent_this_month: string | null;
  suggested: { threshold: string; amount: string; monthly_cap: string };
  last_failure: PortalAutoTopUpFailure | null;
}
