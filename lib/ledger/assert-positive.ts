import { ValidationError } from "@/lib/errors";
import { assertWithinAmountLimit, fitsStorage, type Dec } from "@/lib/money";

/** Positive, at most MAX_AMOUNT (`amount_too_large`), at most 12 decimal places. */
export function assertPositive(amount: Dec, field: string): void {
  if (amount.isFinite() && amount.gt(0)) assertWithinAmountLimit(amount, field);
  if (!amount.isFinite() || amount.lte(0) || !fitsStorage(amount)) {
    throw new ValidationError(`${field} must be a positive amount with at most 12 decimal places`, [
      { field, message: "must be positive, at most 12 decimal places" },
    ]);
  }
}
