import type { Dec } from "@/lib/money";

export type GrantPurpose = "promotion" | "bundled" | "paid";

/** Public account id: `{account_name}:{ASSET}`, e.g. `default:USD`. */
export function accountKey(name: string, asset: string): string {
  return `${name}:${asset}`;
}

export interface AccountState {
  id: string;
  name: string;
  asset: string;
  balance: Dec;
  /** The floor in force: the account's own limit, or else its platform's default for the mode. */
  overdraftLimit: Dec;
  /** The account's own limit; null: it follows the platform's default. */
  ownOverdraftLimit: Dec | null;
  /** `wallet.balance_low` fires when a batch takes balance from at-or-above this to below it; null/undefined: never. */
  lowBalanceThreshold?: Dec | null;
  createdAt: Date;
  /** not yet in the database */
  isNew: boolean;
  dirty: boolean;
}

export interface GrantState {
  id: string;
  accountId: string;
  purpose: GrantPurpose;
  amount: Dec;
  remaining: Dec;
  effectiveAt: Date;
  expiresAt: Date | null;
  createdAt: Date;
  status: "live" | "expired" | "reversed";
  transactionId: string;
  isNew: boolean;
  dirty: boolean;
}

export interface CreditInput {
  /** Idempotency key: a replay returns the first result and writes nothing. */
  idempotencyKey: string;
  /** Identifies the request body: the same key with another hash is a conflict. Defaults to a hash of the input. */
  requestHash?: string;
  accountName: string;
  asset: string;
  amount: Dec;
  purpose: GrantPurpose;
  effectiveAt?: Date;
  /** null: never expires. Undefined: paid grants expire in one year, others never. */
  expiresAt?: Date | null;
  description?: string | null;
  metadata?: Record<string, unknown>;
  /** Exchange rate applied to reach `amount` (top-up conversion), recorded on the entry. */
  rate?: Dec | null;
  /** What funded the grant, e.g. { reason: "external_topup" } or { top_up_id }. */
  source?: Record<string, unknown>;
}

export interface ChargeLeg {
  accountName: string;
  asset: string;
  amount: Dec;
}

export interface ChargeInput {
  idempotencyKey: string;
  /**
   * Identifies the request body (defaults to a hash of the input). `null`: the caller
   * deduplicates the request by a key of its own (a usage event's charge, by its
   * `usage_events` row, whose primary key is written in the same flush), so nothing is
   * hashed and the transaction stores no key, no hash and no result: the caller's own key is
   * the record. A second use of the key in the same batch is still a conflict; in a later
   * batch the ledger does not see it (the caller's unique key refuses the batch instead).
   */
  requestHash?: string | null;
  legs: ChargeLeg[];
  description?: string | null;
  metadata?: Record<string, unknown>;
  /**
   * A hold of the customer (loaded with the job's `holdKeys`): fees are taken from what it
   * still reserves on each account first, the rest from the available balance. A hold that
   * is not open (or not loaded) reserves nothing.
   */
  holdId?: string;
}

export interface ReverseInput {
  idempotencyKey: string;
  requestHash?: string;
  /** The ledger transaction to reverse (a credit or a charge). */
  transactionId: string;
  /** Part of it; defaults to all of it. */
  amount?: Dec;
  description?: string | null;
  metadata?: Record<string, unknown>;
}

/** One account's movement in a transaction, as returned to callers (amounts as decimal text). */
export interface LegResult {
  account_id: string;
  asset: string;
  amount: string;
  balance_after: string;
}

/** Stored in ledger_transactions.result and returned verbatim on replay. */
export interface TransactionResult {
  transaction_id: string;
  kind: "credit" | "charge" | "expire" | "reverse";
  created_at: string;
  legs: LegResult[];
  grant_id?: string;
}

export interface AppliedResult extends TransactionResult {
  /** true when this call replayed an earlier one and wrote nothing */
  replayed: boolean;
}

export type HoldStatus = "held" | "captured" | "released" | "expired";

/** What a hold reserves on one account. */
export interface HoldAmount {
  /** The account's internal id (acct_…). */
  accountId: string;
  name: string;
  asset: string;
  amount: Dec;
  /** Taken by fees charged against the hold. */
  captured: Dec;
  /** Given back when the hold closed (amount − captured then). */
  released: Dec;
}

/** Funds reserved on a customer's accounts, loaded and written by the customer's batch. */
export interface HoldState {
  id: string;
  reference: string;
  requestHash: string;
  status: HoldStatus;
  amounts: HoldAmount[];
  expiresAt: Date;
  subject: string | null;
  metadata: Record<string, unknown> | null;
  createdAt: Date;
  closedAt: Date | null;
  isNew: boolean;
  dirty: boolean;
}

export interface CreateHoldInput {
  /** The client's id: the same reference and request hash answer the stored hold. */
  reference: string;
  requestHash: string;
  legs: ChargeLeg[];
  expiresAt: Date;
  subject?: string | null;
  metadata?: Record<string, unknown> | null;
}
