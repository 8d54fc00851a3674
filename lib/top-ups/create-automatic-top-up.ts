import { resolveAsset } from "@/lib/catalog/get-asset";
import { prisma } from "@/lib/db";
import { newId } from "@/lib/ids";
import { formatAmount, type Dec } from "@/lib/money";
import type { Tenant } from "@/lib/tenant";
import { convertTopUp, topUpCurrencyOrThrow } from "./conversion";
import { topUpFromRow, type TopUp } from "./top-up";

/**
 * How long an automatic top-up stays `initiated` before the expiry job may expire it: a
 * day, Stripe's idempotency window, far longer than its payment takes (seconds) or its
 * reconciliation (a minute). Its payment intent id is stored as soon as Stripe answers,
 * and the expiry job leaves top-ups with one to their webhooks.
 */
const AUTOMATIC_TOP_UP_LIFETIME_MS = 24 * 60 * 60 * 1000;

/**
 * The top-up row of an auto top-up (`automatic`), `initiated` and without a Checkout
 * Session: the off-session PaymentIntent pays it, and it settles through the same path as
 * a Checkout top-up (creditPaidTopUp: a paid grant, `top_up.succeeded`, refunds). The
 * credit is converted as a manual top-up's (convertTopUp: the asset's rate for a custom
 * asset). `id` is chosen by the caller, so a retried attempt finds the row it made.
 */
export async function createAutomaticTopUp(
  tenant: Tenant,
  input: { id?: string; customerId: string; accountName: string; asset: string; amount: Dec; currency: string; autoTopUpId: string },
): Promise<TopUp> {
  const currency = topUpCurrencyOrThrow(input.currency);
  const asset = await resolveAsset(tenant, input.asset, "asset");
  const conversion = convertTopUp(input.amount, currency, asset);
  const row = await prisma().topUp.create({
    data: {
      id: input.id ?? newId("top"),
      customerId: input.customerId,
      platformId: tenant.platformId,
      liveMode: tenant.liveMode,
      status: "initiated",
      amount: input.amount.toFixed(),
      currency: currency.code,
      description: `Auto top-up: ${formatAmount(conversion.creditAmount)} ${asset.code}`,
      accountName: input.accountName,
      asset: asset.code,
      exchangeRate: conversion.exchangeRate.toFixed(),
      creditAmount: conversion.creditAmount.toFixed(),
      metadata: { auto_top_up_id: input.autoTopUpId },
      automatic: true,
      expiresAt: new Date(Date.now() + AUTOMATIC_TOP_UP_LIFETIME_MS),
    },
  });
  return topUpFromRow(row);
}
