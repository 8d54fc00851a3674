import type { Dec } from "@/lib/money";
import { runInCustomerBatch } from "./customer-batch";
import type { AppliedResult, ChargeInput, CreditInput, ReverseInput } from "./types";

/**
 * The ledger's write API. Each call is queued into the customer's next batch (one
 * transaction under the customer's lock, see customer-batch.ts) and resolves when that batch commits.
 * All of them are idempotent by `idempotencyKey`: a replay resolves with the first
 * result (`replayed: true`) and writes nothing; the same key with a different request
 * rejects with ConflictError.
 */

/** Credits an account with a new grant. Overdraft debt is paid off first. */
export function credit(customerId: string, input: CreditInput): Promise<AppliedResult> {
  return runInCustomerBatch(customerId, { idempotencyKeys: [input.idempotencyKey], apply: (w) => w.credit(input) });
}

/** Charges one or more accounts atomically, or rejects with InsufficientFundsError. */
export function charge(customerId: string, input: ChargeInput): Promise<AppliedResult> {
  return runInCustomerBatch(customerId, { idempotencyKeys: [input.idempotencyKey], apply: (w) => w.charge(input) });
}

/** Reverses (part of) a credit or a charge. */
export function reverse(customerId: string, input: ReverseInput): Promise<AppliedResult> {
  return runInCustomerBatch(customerId, {
    idempotencyKeys: [input.idempotencyKey],
    referencedTransactions: [input.transactionId],
    apply: (w) => w.reverse(input),
  });
}

/** Expires the customer's due grants now (every batch also does this first). */
export function expireDueGrants(customerId: string): Promise<AppliedResult[]> {
  return runInCustomerBatch(customerId, {
    idempotencyKeys: [],
    apply: (w) => {
      w.expireDueGrants();
      return w.expired;
    },
  });
}

/**
 * Sets an account's overdraft limit (null: follow the platform's default for the mode)
 * and/or low-balance threshold (null: no `wallet.balance_low`) in one batch, creating the
 * account if needed. Fields left undefined keep their value.
 */
export async function updateAccountSettings(
  customerId: string,
  accountName: string,
  asset: string,
  settings: { overdraftLimit?: Dec | null; lowBalanceThreshold?: Dec | null },
): Promise<void> {
  await runInCustomerBatch(customerId, {
    idempotencyKeys: [],
    apply: (w) => {
      if (settings.overdraftLimit !== undefined) w.setOverdraftLimit(accountName, asset, settings.overdraftLimit);
      if (settings.lowBalanceThreshold !== undefined) w.setLowBalanceThreshold(accountName, asset, settings.lowBalanceThreshold);
    },
  });
}
