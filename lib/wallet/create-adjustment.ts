import { resolveAsset } from "@/lib/catalog/get-asset";
import type { Tenant } from "@/lib/tenant";
import { assertCustomerOfTenant } from "@/lib/customers/customers";
import { ValidationError } from "@/lib/errors";
import { charge, credit, hashRequest, type AppliedResult, type GrantPurpose } from "@/lib/ledger";
// Its batches write webhooks (grant expiries, low balances) through lib/webhooks' outbox listener.
import "@/lib/webhooks/ledger-outbox";
import type { Dec } from "@/lib/money";

export const adjustmentReasons = ["external_topup", "external_refund", "gift", "promotion", "charge", "correction"] as const;
export type AdjustmentReason = (typeof adjustmentReasons)[number];

export interface AdjustmentInput {
  transaction_id: string;
  account_name: string;
  asset: string;
  amount: Dec;
  description?: string | null;
  reason: AdjustmentReason;
  expires_at?: Date | null;
  /** Overrides the grant purpose the reason implies (positive amounts only). */
  purpose?: GrantPurpose;
  metadata?: Record<string, unknown>;
}

/** Which sign each reason allows, and the purpose of the grant a credit creates. */
const reasonRules: Record<AdjustmentReason, { sign: "positive" | "negative" | "either"; purpose: GrantPurpose }> = {
  external_topup: { sign: "positive", purpose: "paid" },
  gift: { sign: "positive", purpose: "promotion" },
  promotion: { sign: "positive", purpose: "promotion" },
  correction: { sign: "either", purpose: "paid" },
  external_refund: { sign: "negative", purpose: "paid" },
  charge: { sign: "negative", purpose: "paid" },
};

export interface AdjustmentResult {
  /** The platform's `transaction_id`. */
  id: string;
  /** When the ledger recorded it (on a replay: the first call's time). */
  createdAt: Date;
  ledger: AppliedResult;
}

/**
 * A signed credit or debit reported by the platform (PRODUCT.md "Adjustment").
 * Positive: a credit grant (purpose from the reason, `expires_at` honoured; one that has
 * already passed cannot be honoured, so the grant gets the default expiry: one year for
 * paid grants, none otherwise). Negative: a charge, refused past the overdraft limit.
 * Idempotent by `transaction_id`: the same id and body answers the first result and
 * writes nothing; the same id with a different body is a 409.
 */
export async function createAdjustment(tenant: Tenant, customerId: string, input: AdjustmentInput): Promise<AdjustmentResult> {
  await assertCustomerOfTenant(tenant, customerId);
  const asset = await resolveAsset(tenant, input.asset, "asset");
  if (input.amount.decimalPlaces() > asset.precision) {
    throw new ValidationError(`${asset.code} amounts have at most ${asset.precision} decimal places`, [
      { field: "amount", message: `at most ${asset.precision} decimal places for ${asset.code}` },
    ]);
  }
  if (input.amount.isZero()) throw new ValidationError("amount must not be 0", [{ field: "amount", message: "must not be 0" }]);
  const rule = reasonRules[input.reason];
  const positive = input.amount.gt(0);
  if ((rule.sign === "positive" && !positive) || (rule.sign === "negative" && positive)) {
    throw new ValidationError(`reason ${input.reason} needs a ${rule.sign} amount`, [
      { field: "amount", message: `must be ${rule.sign} for reason ${input.reason}` },
    ]);
  }
  if (input.purpose && !positive) {
    throw new ValidationError("purpose applies to credits only", [{ field: "purpose", message: "only for positive amounts" }]);
  }

  const requestHash = hashRequest({ ...input, transaction_id: undefined });
  const idempotencyKey = `adj:${input.transaction_id}`;
  const metadata = { ...(input.metadata ?? {}), reason: input.reason, adjustment_id: input.transaction_id };
  const now = Date.now();
  const expiresAt = input.expires_at && input.expires_at.getTime() > now ? input.expires_at : undefined;

  const ledger = positive
    ? await credit(customerId, {
        idempotencyKey,
        requestHash,
        accountName: input.account_name,
        asset: asset.code,
        amount: input.amount,
        purpose: input.purpose ?? rule.purpose,
        expiresAt: input.expires_at === null ? null : expiresAt,
        description: input.description ?? null,
        metadata,
        source: { reason: input.reason, adjustment_id: input.transaction_id },
      })
    : await charge(customerId, {
        idempotencyKey,
        requestHash,
        legs: [{ accountName: input.account_name, asset: asset.code, amount: input.amount.neg() }],
        description: input.description ?? null,
        metadata,
      });
  return { id: input.transaction_id, createdAt: new Date(ledger.created_at), ledger };
}
