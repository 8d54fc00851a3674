import { prisma } from "@/lib/db";
import { NotFoundError, ValidationError, type FieldError } from "@/lib/errors";
import { Dec } from "@/lib/money";
import { autoTopUpAmountErrors } from "./settings";

/**
 * What the billing portal's auto top-up form suggests to a customer who has not set it up
 * for an account yet (lib/portal/portal-auto-top-up.ts), in the payment currency of that
 * account's top-ups: fire below `threshold` (converted into the account's asset at its
 * rate, as the built-in suggestion is), top up by `amount`, at most `monthlyCap` a month.
 * All three or none (none: the built-in suggestion). Settings a customer saved are never
 * changed by these.
 */
export interface AutoTopUpDefaults {
  threshold: Dec;
  amount: Dec;
  monthlyCap: Dec;
}

/** The platform's auto top-up defaults, or null when it has none. */
export async function getAutoTopUpDefaults(platformId: string): Promise<AutoTopUpDefaults | null> {
  const row = await prisma().platform.findUnique({
    where: { id: platformId },
    select: { autoTopUpDefaultThreshold: true, autoTopUpDefaultAmount: true, autoTopUpDefaultMonthlyCap: true },
  });
  if (!row?.autoTopUpDefaultThreshold || !row.autoTopUpDefaultAmount || !row.autoTopUpDefaultMonthlyCap) return null;
  return {
    threshold: new Dec(row.autoTopUpDefaultThreshold.toFixed()),
    amount: new Dec(row.autoTopUpDefaultAmount.toFixed()),
    monthlyCap: new Dec(row.autoTopUpDefaultMonthlyCap.toFixed()),
  };
}

/**
 * Sets (or, all null, clears) the defaults. The rules are auto top-up's own
 * (lib/auto-top-ups/settings.ts): amounts greater than 0, a monthly cap of at least one
 * top-up; every broken rule is a field error of one 422 that writes nothing.
 */
export async function updateAutoTopUpDefaults(
  platformId: string,
  input: { threshold: Dec | null; amount: Dec | null; monthlyCap: Dec | null },
): Promise<AutoTopUpDefaults | null> {
  const { threshold, amount, monthlyCap } = input;
  const errors: FieldError[] = [];
  if (threshold && amount && monthlyCap) errors.push(...autoTopUpAmountErrors({ threshold, amount, monthlyCap }));
  else if (threshold || amount || monthlyCap) {
    const values = { threshold, amount, monthly_cap: monthlyCap };
    for (const [field, v] of Object.entries(values)) if (v === null) errors.push({ field, message: "Set all three, or clear all three" });
  }
  if (errors.length) throw new ValidationError(errors.map((e) => `${e.field}: ${e.message}`).join("; "), errors);
  const { count } = await prisma().platform.updateMany({
    where: { id: platformId },
    data: {
      autoTopUpDefaultThreshold: input.threshold?.toFixed() ?? null,
      autoTopUpDefaultAmount: input.amount?.toFixed() ?? null,
      autoTopUpDefaultMonthlyCap: input.monthlyCap?.toFixed() ?? null,
    },
  });
  if (count === 0) throw new NotFoundError("no such platform");
  return getAutoTopUpDefaults(platformId);
}
