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
  requestHash?: string;
  legs: ChargeLeg[];
  description?: string | null;
  metadata?: Record<string, unknown>;
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
