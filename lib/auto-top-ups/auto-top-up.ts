import { Dec } from "@/lib/money";

/** One account's auto top-up settings as the domain sees them (settings.ts). */
export interface AutoTopUpSettings {
  customerId: string;
  accountName: string;
  asset: string;
  /** `{name}:{ASSET}` */
  accountId: string;
  enabled: boolean;
  threshold: Dec;
  /** The payment, in `currency`. */
  amount: Dec;
  currency: string;
  paymentMethodId: string | null;
  monthlyCap: Dec;
  consecutiveFailures: number;
  disabledReason: DisabledReason | null;
  createdAt: Date;
  updatedAt: Date;
}

/** platform: DELETE through the API; failures: three failed attempts in a row; card_removed: its card went. */
export type DisabledReason = "platform" | "failures" | "card_removed";

export type AutoTopUpStatus = "pending" | "processing" | "succeeded" | "failed" | "capped" | "skipped";

/** One auto top-up request (`atu_…`) and what became of it. */
export interface AutoTopUp {
  id: string;
  customerId: string;
  accountName: string;
  asset: string;
  status: AutoTopUpStatus;
  amount: Dec;
  currency: string;
  creditAmount: Dec | null;
  paymentIntentId: string | null;
  topUpId: string | null;
  failureCode: string | null;
  failureMessage: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Three failed attempts in a row switch auto top-up off (the rule). */
export const MAX_CONSECUTIVE_FAILURES = 3;

interface SettingsRow {
  customerId: string;
  accountName: string;
  asset: string;
  enabled: boolean;
  threshold: { toFixed(): string };
  amount: { toFixed(): string };
  currency: string;
  paymentMethodId: string | null;
  monthlyCap: { toFixed(): string };
  consecutiveFailures: number;
  disabledReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export function settingsFromRow(r: SettingsRow): AutoTopUpSettings {
  return {
    customerId: r.customerId,
    accountName: r.accountName,
    asset: r.asset,
    accountId: `${r.accountName}:${r.asset}`,
    enabled: r.enabled,
    threshold: new Dec(r.threshold.toFixed()),
    amount: new Dec(r.amount.toFixed()),
    currency: r.currency,
    paymentMethodId: r.paymentMethodId,
    monthlyCap: new Dec(r.monthlyCap.toFixed()),
    consecutiveFailures: r.consecutiveFailures,
    disabledReason: r.disabledReason as DisabledReason | null,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

interface AutoTopUpRow {
  id: string;
  customerId: string;
  accountName: string;
  asset: string;
  status: string;
  amount: { toFixed(): string };
  currency: string;
  creditAmount: { toFixed(): string } | null;
  paymentIntentId: string | null;
  topUpId: string | null;
  failureCode: string | null;
  failureMessage: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export function autoTopUpFromRow(r: AutoTopUpRow): AutoTopUp {
  return {
    ...r,
    status: r.status as AutoTopUpStatus,
    amount: new Dec(r.amount.toFixed()),
    creditAmount: r.creditAmount ? new Dec(r.creditAmount.toFixed()) : null,
  };
}
