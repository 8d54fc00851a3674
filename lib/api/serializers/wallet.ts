import type { z } from "zod";
import { amountToJson } from "@/lib/money";
import type { AdjustmentResult } from "@/lib/wallet/create-adjustment";
import type { CreditGrant, LedgerTransaction, WalletAccount } from "@/lib/wallet/wallet-views";
import type { accountSchema, adjustmentResponse, creditGrantSchema, ledgerTransactionSchema, walletSchema } from "../schemas/wallet";

/**
 * Wallets on the wire (lib/api/schemas/wallet.ts): snake_case, dates as ISO text, money as
 * JSON numbers (`amountToJson`, the seed's `"available": 14.566678`). Typed by the response
 * schemas' input, so the compiler holds each serializer to the contract.
 */
type WalletJson = z.input<typeof walletSchema>;

export function walletJson(wallet: { accounts: WalletAccount[] }): WalletJson {
  return { accounts: wallet.accounts.map((a) => ({ id: a.id, name: a.name, asset: a.asset, available: amountToJson(a.available) })) };
}

export function accountJson(a: WalletAccount): z.input<typeof accountSchema> {
  return {
    id: a.id,
    name: a.name,
    asset: a.asset,
    available: amountToJson(a.available),
    pending_in: amountToJson(a.pendingIn),
    pending_out: amountToJson(a.pendingOut),
    overdraft_limit: amountToJson(a.overdraftLimit),
    low_balance_threshold: a.lowBalanceThreshold === null ? null : amountToJson(a.lowBalanceThreshold),
    created_at: a.createdAt.toISOString(),
  };
}

export function adjustmentJson(a: AdjustmentResult): z.input<typeof adjustmentResponse> {
  return { id: a.id, created_at: a.createdAt.toISOString() };
}

export function creditGrantJson(g: CreditGrant): z.input<typeof creditGrantSchema> {
  return {
    id: g.id,
    account_id: g.accountId,
    purpose: g.purpose,
    amount: amountToJson(g.amount),
    remaining: amountToJson(g.remaining),
    effective_at: g.effectiveAt.toISOString(),
    expires_at: g.expiresAt?.toISOString() ?? null,
    status: g.status,
    source: g.source,
    created_at: g.createdAt.toISOString(),
  };
}

export function ledgerTransactionJson(t: LedgerTransaction): z.input<typeof ledgerTransactionSchema> {
  return {
    id: t.id,
    kind: t.kind,
    description: t.description,
    metadata: t.metadata,
    entries: t.entries.map((e) => ({
      account_id: e.accountId,
      asset: e.asset,
      amount: amountToJson(e.amount),
      kind: e.kind,
      grant_id: e.grantId,
      rate: e.rate === null ? null : amountToJson(e.rate),
    })),
    created_at: t.createdAt.toISOString(),
  };
}
