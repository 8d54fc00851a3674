import { DomainError } from "@/lib/errors";
import { Dec, formatAmount } from "./decimal";

/**
 * The money ceiling: the largest balance an account may hold and the largest single
 * amount the ledger moves (a credit, a charge leg, a top-up's payment or credit, an
 * overdraft limit, a low-balance threshold, a usage fee): 10^15 units of any asset.
 *
 * Why 10^15 and not what the columns hold: every amount is NUMERIC(38,12), at most 26
 * integer digits, and a credit that pushed a balance past that failed inside the ledger's
 * write with "numeric field overflow" (a 500, and for a paid top-up a webhook that failed
 * forever). A ceiling far below the column keeps every value the ledger derives from
 * bounded ones (a balance plus a credit, a charge's legs summed, a reversal's debt past
 * the overdraft floor, `pending_in` summed over top-ups) 11 orders of magnitude away from
 * overflowing, so nothing but this check can refuse them. And 10^15 is the largest power
 * of ten whose whole units an IEEE double still counts exactly (2^53 ≈ 9.007 × 10^15):
 * the API answers money as JSON numbers, and a balance past that could not be read back.
 * It is still a thousand times the world's yearly GDP in cents.
 */
export const MAX_BALANCE = new Dec("1e15");
/** A single amount larger than the largest balance could never be credited anyway. */
export const MAX_AMOUNT = MAX_BALANCE;

/** `amount_too_large`: one amount of the request is above MAX_AMOUNT. Writes nothing. */
export class AmountTooLargeError extends DomainError {
  readonly code = "amount_too_large";
}

/** `balance_limit_exceeded`: the credit would take the balance above MAX_BALANCE. Writes nothing. */
export class BalanceLimitError extends DomainError {
  readonly code = "balance_limit_exceeded";
}

/** Throws AmountTooLargeError naming `field` when |amount| is above MAX_AMOUNT. */
export function assertWithinAmountLimit(amount: Dec, field: string, what = field): void {
  if (amount.abs().lte(MAX_AMOUNT)) return;
  const message = `must be at most ${formatAmount(MAX_AMOUNT)}`;
  throw new AmountTooLargeError(`${what} ${formatAmount(amount.abs())} is above the largest amount, ${formatAmount(MAX_AMOUNT)}`, [{ field, message }], {
    max_amount: formatAmount(MAX_AMOUNT),
  });
}

/** Throws BalanceLimitError when `balance + amount` would be above MAX_BALANCE. */
export function assertWithinBalanceLimit(balance: Dec, amount: Dec, context: { field: string; accountId: string }): void {
  const after = balance.plus(amount);
  if (after.lte(MAX_BALANCE)) return;
  throw new BalanceLimitError(
    `crediting ${formatAmount(amount)} would take ${context.accountId} to ${formatAmount(after)}, above the largest balance, ${formatAmount(MAX_BALANCE)}`,
    [{ field: context.field, message: `would take the balance above ${formatAmount(MAX_BALANCE)}` }],
    { account_id: context.accountId, balance: formatAmount(balance), max_balance: formatAmount(MAX_BALANCE) },
  );
}

/**
 * Recognises the two limit errors by code, not `instanceof`: the production server holds
 * two copies of lib/ (docs/ARCHITECTURE.md), so a class from one copy is not the other's.
 */
export function isLimitError(error: unknown): error is AmountTooLargeError | BalanceLimitError {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && (code === "amount_too_large" || code === "balance_limit_exceeded");
}
