import type { PoolClient } from "pg";
import type { Dec } from "@/lib/money";
import type { GrantPurpose, HoldState } from "./types";
import type { FusedWrite } from "./wallet-sql";

/**
 * What a batch did that other modules react to, as typed facts. The ledger derives the
 * first two from its own state; modules above it (usage, top-ups) add theirs with
 * `WalletTx.emit` from their jobs. Collected per batch attempt on the WalletTx and handed
 * to the registered `BatchListener`s inside the batch's transaction, so whatever they
 * write commits or rolls back with the ledger rows (lib/webhooks turns them into outbox
 * rows: see webhooks/ledger-outbox.ts).
 */
export type LedgerEvent = GrantExpired | BalanceLow | HoldExpired | RaisedEvent;

/** A grant's remainder left the balance at its `expires_at` (one per grant, first thing in a batch). */
export interface GrantExpired {
  type: "grant_expired";
  customerId: string;
  /** Public account id, `{name}:{ASSET}`. */
  accountId: string;
  asset: string;
  grantId: string;
  purpose: GrantPurpose;
  /** The grant's original amount. */
  amount: Dec;
  /** What was left of it and is now gone. */
  expiredAmount: Dec;
  expiresAt: Date;
  transactionId: string;
}

/** An open hold passed its `expires_at`: released by the first batch after it (once). */
export interface HoldExpired {
  type: "hold_expired";
  customerId: string;
  hold: HoldState;
}

/**
 * The batch took an account from at or above its low-balance threshold (at BEGIN; 0 for
 * a new account) to below it (at COMMIT): net movement, once per batch and account.
 */
export interface BalanceLow {
  type: "balance_low";
  customerId: string;
  accountId: string;
  asset: string;
  balance: Dec;
  threshold: Dec;
}

/**
 * An event a job of a module above the ledger raises in its batch (a usage event refused,
 * a top-up settled). The ledger only carries it: `by` names the module that made it and
 * the listener that knows `payload`'s shape.
 */
export interface RaisedEvent {
  type: "raised";
  by: string;
  payload: unknown;
}

/** One batch attempt as its listeners see it. */
export interface FlushedBatch {
  customerId: string;
  /** The batch's clock (every row it wrote carries it). */
  now: Date;
  /** In the order they happened; empty for most batches. */
  events: readonly LedgerEvent[];
  /** Every account whose available balance this batch changed, at BEGIN and at COMMIT (auto top-up's trigger reads it). */
  balanceChanges: readonly BalanceChange[];
}

/**
 * One account's available balance across a batch: the balance net of what open holds
 * reserve (0 at BEGIN for an account the batch created).
 */
export interface BalanceChange {
  name: string;
  asset: string;
  opening: Dec;
  closing: Dec;
}

/**
 * Reacts to every batch of the ledger, inside its transaction and after its COMMIT:
 * - `flushWith`: the listener's rows for one customer's batch as one more CTE of the
 *   ledger's own write statement (no round trip of its own; the same CTE of every customer
 *   of the transaction is merged into one). Null when it has none.
 * - `onFlush`: runs once per transaction, with the batches of every customer in it (group
 *   commit: customer-batch.ts), after the ledger's write and before COMMIT, for what needs
 *   to read first (a throw rolls the transaction back; a retryable one reruns it).
 * - `afterCommit`: runs for each batch once it committed and must not throw (best effort,
 *   e.g. waking a worker).
 */
export interface BatchListener {
  flushWith?(batch: FlushedBatch): FusedWrite | null;
  onFlush?(client: PoolClient, batches: readonly FlushedBatch[]): Promise<void>;
  afterCommit?(batch: FlushedBatch): void;
}
