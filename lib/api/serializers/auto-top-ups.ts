import type { z } from "zod";
import type { AutoTopUp, AutoTopUpView } from "@/lib/auto-top-ups";
import { amountToJson } from "@/lib/money";
import type { autoTopUpAttemptSchema, autoTopUpSchema } from "../schemas/auto-top-ups";

export function autoTopUpAttemptToJson(a: AutoTopUp): z.input<typeof autoTopUpAttemptSchema> {
  return {
    id: a.id,
    status: a.status,
    amount: amountToJson(a.amount),
    currency: a.currency,
    credit_amount: a.creditAmount ? amountToJson(a.creditAmount) : null,
    top_up_id: a.topUpId,
    failure_code: a.failureCode,
    failure_message: a.failureMessage,
    created_at: a.createdAt.toISOString(),
    updated_at: a.updatedAt.toISOString(),
  };
}

/** An account's auto top-up as the API answers it. */
export function autoTopUpToJson(view: AutoTopUpView): z.input<typeof autoTopUpSchema> {
  const s = view.settings;
  return {
    account_id: view.accountId,
    configured: s !== null,
    enabled: s?.enabled ?? false,
    threshold: s ? amountToJson(s.threshold) : null,
    amount: s ? amountToJson(s.amount) : null,
    currency: s?.currency ?? null,
    monthly_cap: s ? amountToJson(s.monthlyCap) : null,
    spent_this_month: amountToJson(view.spentThisMonth),
    card: view.card ? { id: view.card.id, brand: view.card.brand, last4: view.card.last4, exp_month: view.card.expMonth, exp_year: view.card.expYear } : null,
    consecutive_failures: s?.consecutiveFailures ?? 0,
    disabled_reason: s?.disabledReason ?? null,
    last_auto_top_up: view.lastAutoTopUp ? autoTopUpAttemptToJson(view.lastAutoTopUp) : null,
    updated_at: s?.updatedAt.toISOString() ?? null,
  };
}
