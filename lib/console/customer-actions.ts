import { randomUUID } from "node:crypto";
import type { Dec } from "@/lib/money";
import { createBillingPortalSession, type BillingPortalSession } from "@/lib/portal-access/create-billing-portal-session";
import { createAdjustment, type AdjustmentReason, type AdjustmentResult } from "@/lib/wallet/create-adjustment";
import { updateAccount, type WalletAccount } from "@/lib/wallet/wallet-views";
import { recordAuditEvent } from "./audit-events";
import type { ConsoleContext } from "./operator-sessions";

/**
 * The console's customer writes. Each is the API's own domain function (no second path to
 * the ledger) followed by its audit event; a refused write (validation, insufficient
 * funds, another platform's customer) throws before anything is recorded.
 */

export interface ConsoleAdjustmentInput {
  account_name: string;
  asset: string;
  amount: Dec;
  reason: AdjustmentReason;
  /** Why, in the operator's words: required in the console, kept on the transaction and the audit event. */
  description: string;
  /** The form's id for this submission, so a double submit adjusts once. */
  transaction_id?: string;
}

export async function adjustBalance(ctx: ConsoleContext, customerId: string, input: ConsoleAdjustmentInput): Promise<AdjustmentResult> {
  const transactionId = input.transaction_id ?? `console_${randomUUID()}`;
  const result = await createAdjustment(ctx.tenant, customerId, {
    transaction_id: transactionId,
    account_name: input.account_name,
    asset: input.asset,
    amount: input.amount,
    reason: input.reason,
    description: input.description,
    metadata: { operator_id: ctx.operator.id },
  });
  await recordAuditEvent(ctx, {
    action: "wallet.adjusted",
    targetType: "customer",
    targetId: customerId,
    detail: {
      transaction_id: transactionId,
      account_id: `${input.account_name}:${input.asset}`,
      amount: input.amount.toString(),
      reason: input.reason,
      description: input.description,
    },
  });
  return result;
}

export async function setOverdraftLimit(
  ctx: ConsoleContext,
  customerId: string,
  accountId: string,
  overdraftLimit: Dec | null,
): Promise<WalletAccount> {
  const account = await updateAccount(ctx.tenant, customerId, accountId, { overdraft_limit: overdraftLimit });
  await recordAuditEvent(ctx, {
    action: "wallet.overdraft_limit_set",
    targetType: "customer",
    targetId: customerId,
    detail: { account_id: accountId, overdraft_limit: overdraftLimit === null ? null : overdraftLimit.toString() },
  });
  return account;
}

/** A single-use link that signs into the customer's portal; the operator's visit is audited. */
export async function openPortalAsCustomer(ctx: ConsoleContext, customerId: string): Promise<BillingPortalSession> {
  const session = await createBillingPortalSession(ctx.tenant, { customer_id: customerId });
  await recordAuditEvent(ctx, { action: "portal.opened_as_customer", targetType: "customer", targetId: customerId });
  return session;
}
