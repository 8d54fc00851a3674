import Stripe from "stripe";
import { resolveAsset } from "@/lib/catalog/get-asset";
import type { Tenant } from "@/lib/tenant";
import { getCustomerOrThrow } from "@/lib/customers/customers";
import { prisma } from "@/lib/db";
import { env } from "@/lib/env";
import { ValidationError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { topUpFromRow, type TopUp } from "./top-up";
import { newId } from "@/lib/ids";
import { Dec, ZERO, assertWithinAmountLimit, assertWithinBalanceLimit, formatAmount } from "@/lib/money";
import { accountKey } from "@/lib/ledger";
import { createRedirectToken } from "@/lib/portal-access/redirect-tokens";
import { stripeClient } from "@/lib/stripe/client";
import { convertTopUp, toMinorUnits, topUpCurrencyOrThrow } from "./conversion";

/**
 * How long a top-up (and its Checkout Session, and its sign-in link) stays payable.
 * Stripe accepts 30 minutes to 24 hours; an hour is long enough to fetch a card and short
 * enough that `pending_in` does not show money that is not coming.
 */
export const TOP_UP_LIFETIME_SECONDS = 60 * 60;

export interface InitiateTopUpInput {
  customer_id: string;
  /** In `currency`, at most its ISO minor units (Stripe charges whole cents). */
  amount: Dec;
  currency: string;
  description?: string | null;
  /** The account credited once paid; default `default:{currency}` (topUpDestination). */
  destination?: { account_name?: string; asset: string; exchange_rate?: Dec | null } | null;
  credit_expires_at?: Date | null;
  return_url?: string | null;
  failure_url?: string | null;
  metadata?: Record<string, unknown>;
}

/** Where a paid top-up is credited. */
export interface TopUpDestination {
  account_name: string;
  asset: string;
  exchange_rate?: Dec | null;
}

/**
 * PRODUCT.md "Top-up": without a destination, the payment is credited to the customer's
 * `default` account in the currency paid (`default:USD` for a USD payment); a destination
 * without an account name credits its asset's `default` account.
 */
export function topUpDestination(input: Pick<InitiateTopUpInput, "currency" | "destination">): TopUpDestination {
  if (!input.destination) return { account_name: "default", asset: input.currency };
  return { ...input.destination, account_name: input.destination.account_name ?? "default" };
}

export interface InitiateTopUpOptions {
  /** Checkout's success URL; wins over `return_url` (the portal's own result page). */
  successUrl?: string;
  /** Checkout's cancel URL; wins over `failure_url`. */
  cancelUrl?: string;
  /**
   * Make a single-use sign-in link (`redirect_url`) that signs the customer into the
   * portal and continues to Checkout. Default true (the platform API); the portal, whose
   * customer is already signed in, passes false and sends the browser to `checkoutUrl`.
   */
  signInLink?: boolean;
  /**
   * A Stripe customer id (lib/payment-methods ensureStripeCustomer): Checkout pays as that
   * customer and saves the card on it for later off-session payments (auto top-up), with
   * `payment_intent_data.setup_future_usage: "off_session"`. The portal's "save this card"
   * tick; the platform API never saves cards.
   */
  saveCardTo?: string;
}

export interface InitiatedTopUp {
  topUp: TopUp;
  /** Stripe Checkout's hosted page for this top-up. */
  checkoutUrl: string;
  /** `${APP_URL}/api/sign-in?token=…` (null when `signInLink` is false). */
  redirectUrl: string | null;
}

/**
 * Starts a Stripe top-up (PRODUCT.md "Top-up"): validates the request, converts the amount
 * to the destination asset (conversion.ts), opens a Checkout Session (mode payment, one line
 * item of `amount` in `currency`, metadata.top_up_id, expiring with the top-up) and stores
 * the top-up as `initiated`, which shows in the account's `pending_in` until it settles.
 *
 * A payment or a credit above the largest amount is a 422 `amount_too_large`, a credit the
 * destination's balance cannot take a 422 `balance_limit_exceeded` (lib/money/limits.ts).
 *
 * Order: the session is created first (idempotency key `top-up:{id}`) and the row second,
 * so a refused session (Stripe's own checks, e.g. an amount under its minimum: 422) leaves
 * nothing behind. A failure after the session exists leaves at worst an unreachable open
 * session nobody has the URL of, which Stripe expires on its own (we also expire it).
 */
export async function initiateTopUp(tenant: Tenant, input: InitiateTopUpInput, options: InitiateTopUpOptions = {}): Promise<InitiatedTopUp> {
  const customer = await getCustomerOrThrow(tenant, input.customer_id);
  const currency = topUpCurrencyOrThrow(input.currency);
  if (!input.amount.gt(0)) throw invalid("amount", "Must be greater than 0");
  if (input.amount.decimalPlaces() > currency.precision) {
    throw invalid("amount", `${currency.code} amounts have at most ${currency.precision} decimal places`);
  }
  assertWithinAmountLimit(input.amount, "amount");
  const minor = toMinorUnits(input.amount, currency);
  if (!Number.isSafeInteger(minor)) throw invalid("amount", "Too large");
  const destination = topUpDestination(input);
  const asset = await resolveAsset(tenant, destination.asset, "destination/asset");
  const conversion = convertTopUp(input.amount, currency, asset, destination.exchange_rate ?? undefined);
  // The credit must fit the ceiling now (lib/money/limits.ts); if the balance grows past
  // room for it before the payment arrives, the paid top-up is held for review instead.
  assertWithinAmountLimit(conversion.creditAmount, "amount", `The credit of ${formatAmount(conversion.creditAmount)} ${asset.code}`);
  // The cached balance is enough for this early check; the ledger's credit checks again.
  const accountId = accountKey(destination.account_name, asset.code);
  const account = await prisma().account.findUnique({
    where: { customerId_name_asset: { customerId: customer.id, name: destination.account_name, asset: asset.code } },
    select: { balance: true },
  });
  assertWithinBalanceLimit(account ? new Dec(account.balance.toFixed()) : ZERO, conversion.creditAmount, { field: "amount", accountId });

  const id = newId("top");
  // Whole seconds: Stripe's expires_at is a unix timestamp, and both must say the same.
  const expiresAt = new Date((Math.floor(Date.now() / 1000) + TOP_UP_LIFETIME_SECONDS) * 1000);
  // A credit expiry that has already passed cannot be honoured: the grant gets the default
  // one-year expiry instead (the same rule as adjustments; the seed's example date is past).
  const creditExpiresAt = input.credit_expires_at && input.credit_expires_at.getTime() > Date.now() ? input.credit_expires_at : null;
  const appUrl = env().APP_URL;

  const session = await createCheckoutSession(
    {
      mode: "payment",
      line_items: [
        {
          quantity: 1,
          price_data: {
            currency: currency.code.toLowerCase(),
            unit_amount: minor,
            product_data: { name: input.description || `Wallet top-up: ${formatAmount(conversion.creditAmount)} ${asset.code}` },
          },
        },
      ],
      success_url: options.successUrl ?? input.return_url ?? new URL(`/portal/top-ups/${id}/success`, appUrl).toString(),
      cancel_url: options.cancelUrl ?? input.failure_url ?? new URL(`/portal/top-ups/${id}/failure`, appUrl).toString(),
      expires_at: Math.floor(expiresAt.getTime() / 1000),
      client_reference_id: id,
      metadata: { top_up_id: id, customer_id: customer.id },
      // Stripe takes `customer` or `customer_email`, never both: the Stripe customer has the email.
      ...(options.saveCardTo
        ? { customer: options.saveCardTo, payment_intent_data: { metadata: { top_up_id: id }, setup_future_usage: "off_session" as const } }
        : { payment_intent_data: { metadata: { top_up_id: id } }, ...(customer.email ? { customer_email: customer.email } : {}) }),
    },
    `top-up:${id}`,
  );
  if (!session.url) throw new Error(`Checkout Session ${session.id} has no url`);

  let topUp: TopUp;
  try {
    const row = await prisma().topUp.create({
      data: {
        id,
        customerId: customer.id,
        platformId: tenant.platformId,
        liveMode: tenant.liveMode,
        status: "initiated",
        amount: input.amount.toFixed(),
        currency: currency.code,
        description: input.description ?? null,
        accountName: destination.account_name,
        asset: asset.code,
        exchangeRate: conversion.exchangeRate.toFixed(),
        creditAmount: conversion.creditAmount.toFixed(),
        creditExpiresAt,
        returnUrl: input.return_url ?? null,
        failureUrl: input.failure_url ?? null,
        metadata: (input.metadata ?? {}) as Prisma.InputJsonValue,
        checkoutSessionId: session.id,
        checkoutUrl: session.url,
        expiresAt,
      },
    });
    topUp = topUpFromRow(row);
  } catch (error) {
    await stripeClient().checkout.sessions.expire(session.id).catch(() => undefined);
    throw error;
  }

  let redirectUrl: string | null = null;
  if (options.signInLink !== false) {
    const token = await createRedirectToken({
      customerId: customer.id,
      target: session.url,
      returnUrl: input.return_url ?? null,
      failureUrl: input.failure_url ?? null,
      // The link lives as long as the Checkout Session it leads to.
      ttlSeconds: Math.max(1, Math.floor((expiresAt.getTime() - Date.now()) / 1000)),
    });
    redirectUrl = token.url;
  }
  return { topUp, checkoutUrl: session.url, redirectUrl };
}

/** Stripe's refusal of the request (amount under its minimum, bad URL) is the client's 422. */
async function createCheckoutSession(params: Stripe.Checkout.SessionCreateParams, idempotencyKey: string): Promise<Stripe.Checkout.Session> {
  try {
    return await stripeClient().checkout.sessions.create(params, { idempotencyKey });
  } catch (error) {
    if (error instanceof Stripe.errors.StripeInvalidRequestError) {
      const field = stripeParamToField(error.param);
      throw new ValidationError(`Stripe refused the payment: ${error.message}`, [{ field, message: error.message }]);
    }
    throw error;
  }
}

function stripeParamToField(param: string | undefined): string {
  if (!param) return "amount";
  if (param.startsWith("success_url")) return "return_url";
  if (param.startsWith("cancel_url")) return "failure_url";
  if (param.startsWith("customer_email")) return "customer_id";
  return "amount";
}

function invalid(field: string, message: string): ValidationError {
  return new ValidationError(message, [{ field, message }]);
}
