import Stripe from "stripe";
import { pool, prisma } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import { Dec, amountToJson } from "@/lib/money";
import { stripeClient } from "@/lib/stripe/client";
import type { Tenant } from "@/lib/tenant";
import { createAutomaticTopUp, creditPaidTopUp, recordTopUpState, topUpCurrencyOrThrow, toMinorUnits, type StripeEventRef } from "@/lib/top-ups";
// Its batches (the credit) write webhooks through lib/webhooks' outbox listener.
import "@/lib/webhooks/ledger-outbox";
import "./auto-top-up-trigger";
import { REQUEST_COLUMNS, finishAutoTopUp, recordPaymentIntent, type AutoTopUpRequest } from "./auto-top-up-records";

/** A `processing` request untouched this long is reconciled (its payment looked up at Stripe). */
export const RECONCILE_AFTER_MS = 60_000;
const BATCH_SIZE = 50;

export type AttemptOutcome = "succeeded" | "failed" | "capped" | "skipped" | "processing";

export interface AutoTopUpRun {
  outcomes: { id: string; outcome: AttemptOutcome }[];
  /** Could not finish this run (Stripe unreachable, …): left `processing`, reconciled later. */
  errors: { id: string; error: string }[];
}

/**
 * The auto top-up job (lib/jobs: queued after each batch that recorded a request, and
 * every minute). It claims `pending` requests, and `processing` ones untouched for
 * RECONCILE_AFTER_MS (a worker that died mid-payment, a payment Stripe still processes),
 * with FOR UPDATE SKIP LOCKED, moving them to `processing` (and their clock on), so two
 * workers never pay the same request at once. Each is then attempted (attemptAutoTopUp).
 * Safe to run concurrently and repeatedly: every effect is idempotent.
 */
export async function processAutoTopUps(options: { reconcileAfterMs?: number } = {}): Promise<AutoTopUpRun> {
  const run: AutoTopUpRun = { outcomes: [], errors: [] };
  const staleMs = options.reconcileAfterMs ?? RECONCILE_AFTER_MS;
  for (;;) {
    const { rows } = await pool().query<AutoTopUpRequest>(
      `UPDATE auto_top_ups SET status = 'processing', updated_at = now()
        WHERE id IN (SELECT id FROM auto_top_ups
                      WHERE status = 'pending' OR (status = 'processing' AND updated_at <= now() - make_interval(secs => $1::double precision / 1000))
                      ORDER BY created_at LIMIT ${BATCH_SIZE} FOR UPDATE SKIP LOCKED)
        RETURNING ${REQUEST_COLUMNS}`,
      [staleMs],
    );
    for (const r of rows) {
      try {
        run.outcomes.push({ id: r.id, outcome: await attemptAutoTopUp(r) });
      } catch (error) {
        run.errors.push({ id: r.id, error: error instanceof Error ? error.message : String(error) });
      }
    }
    if (rows.length < BATCH_SIZE) break;
  }
  return run;
}

interface AttemptContext {
  tenant: Tenant;
  stripeCustomerId: string | null;
  settings: { enabled: boolean; paymentMethodId: string | null; monthlyCap: Dec; currency: string } | null;
}

/**
 * One attempt at one claimed request:
 * 1. first time (no top-up yet): the settings must still be on, with a card (else
 *    `skipped`), and the month's succeeded auto top-ups plus this one must stay within the
 *    monthly cap (else `capped`, with its webhook); then the `automatic` top-up row;
 * 2. its payment: an off-session PaymentIntent (`off_session`, `confirm`, the saved card)
 *    with the idempotency key `auto-top-up:{id}`, so a retry after a crash gets the same
 *    payment back from Stripe instead of charging twice; when the request already knows
 *    its payment intent (reconciliation), it is read instead;
 * 3. succeeded → credited once through creditPaidTopUp (the Checkout top-ups' path);
 *    a card error (declined, insufficient funds, authentication required) → `failed`;
 *    anything else → left `processing` for the webhook or the next reconciliation.
 */
export async function attemptAutoTopUp(r: AutoTopUpRequest): Promise<AttemptOutcome> {
  const ctx = await loadContext(r);
  let topUpId = r.top_up_id;
  if (!topUpId) {
    const s = ctx.settings;
    if (!s?.enabled || !s.paymentMethodId || !ctx.stripeCustomerId) {
      await finishAutoTopUp(r.id, { status: "skipped", failureCode: "disabled", failureMessage: "Auto top-up was switched off or has no card" });
      return "skipped";
    }
    const spent = await spentThisMonth(r);
    const amount = new Dec(r.amount);
    if (spent.plus(amount).gt(s.monthlyCap)) {
      await finishAutoTopUp(r.id, {
        status: "capped",
        failureCode: "monthly_cap_reached",
        failureMessage: `This month's auto top-ups (${spent.toFixed()} ${r.currency}) plus this one would pass the monthly cap of ${s.monthlyCap.toFixed()} ${r.currency}`,
        extra: { monthly_cap: amountToJson(s.monthlyCap), spent_this_month: amountToJson(spent) },
      });
      return "capped";
    }
    let topUp;
    try {
      topUp = await createAutomaticTopUp(ctx.tenant, {
        customerId: r.customer_id,
        accountName: r.account_name,
        asset: r.asset,
        amount,
        currency: r.currency,
        autoTopUpId: r.id,
      });
    } catch (error) {
      // The settings no longer convert (the custom asset lost its rate in the currency):
      // retrying cannot help, so the attempt ends here, unpaid, and says why.
      if (!(error instanceof DomainError)) throw error;
      await finishAutoTopUp(r.id, { status: "skipped", failureCode: "invalid_settings", failureMessage: error.message });
      return "skipped";
    }
    await pool().query(`UPDATE auto_top_ups SET top_up_id = $2, credit_amount = $3, updated_at = now() WHERE id = $1`, [
      r.id,
      topUp.id,
      topUp.creditAmount.toFixed(),
    ]);
    topUpId = topUp.id;
  }

  if (!r.payment_intent_id && (!ctx.settings?.paymentMethodId || !ctx.stripeCustomerId)) {
    // Reconciling a request whose card went meanwhile: nothing to pay with.
    await settleFailedAutoTopUp(r.id, { topUpId, customerId: r.customer_id, paymentIntentId: null, code: "no_card", message: "No saved card to pay with", event: null });
    return "failed";
  }
  let intent: Stripe.PaymentIntent;
  try {
    intent = r.payment_intent_id
      ? await stripeClient().paymentIntents.retrieve(r.payment_intent_id)
      : await createPaymentIntent(r, topUpId, ctx);
  } catch (error) {
    if (error instanceof Stripe.errors.StripeCardError || error instanceof Stripe.errors.StripeInvalidRequestError) {
      const paymentIntentId = error.payment_intent?.id ?? null;
      await settleFailedAutoTopUp(r.id, {
        topUpId,
        customerId: r.customer_id,
        paymentIntentId,
        code: error.decline_code ?? error.code ?? "card_error",
        message: error.message,
        event: null,
      });
      return "failed";
    }
    throw error;
  }
  await recordPaymentIntent(r.id, intent.id);
  return settleFromPaymentIntent(r.id, topUpId, r.customer_id, intent, null);
}

async function createPaymentIntent(r: AutoTopUpRequest, topUpId: string, ctx: AttemptContext): Promise<Stripe.PaymentIntent> {
  const currency = topUpCurrencyOrThrow(r.currency);
  return stripeClient().paymentIntents.create(
    {
      amount: toMinorUnits(new Dec(r.amount), currency),
      currency: currency.code.toLowerCase(),
      customer: ctx.stripeCustomerId!,
      payment_method: ctx.settings!.paymentMethodId!,
      off_session: true,
      confirm: true,
      description: `Auto top-up of ${r.account_name}:${r.asset}`,
      metadata: { auto_top_up_id: r.id, top_up_id: topUpId, customer_id: r.customer_id },
    },
    { idempotencyKey: `auto-top-up:${r.id}` },
  );
}

/**
 * What a PaymentIntent's state means for its auto top-up (the job's answer, a webhook's
 * object or the reconciliation's read): succeeded → credit once and end `succeeded`;
 * requires_payment_method or canceled → `failed` (Stripe's last_payment_error); anything
 * else is still under way.
 */
export async function settleFromPaymentIntent(
  autoTopUpId: string,
  topUpId: string,
  customerId: string,
  intent: Stripe.PaymentIntent,
  event: StripeEventRef | null,
): Promise<AttemptOutcome> {
  if (intent.status === "succeeded") {
    const outcome = await creditPaidTopUp(
      { id: topUpId, customerId },
      { paymentIntentId: intent.id, event, paid: { amountTotal: intent.amount_received || intent.amount, currency: intent.currency } },
    );
    if (outcome === "held_for_review" || outcome === "flagged_for_review") {
      await finishAutoTopUp(autoTopUpId, {
        status: "failed",
        paymentIntentId: intent.id,
        failureCode: "held_for_review",
        failureMessage: "Paid, but held for an operator's review before crediting (docs/api-notes/top-ups.md)",
      });
      return "failed";
    }
    await finishAutoTopUp(autoTopUpId, { status: "succeeded", paymentIntentId: intent.id });
    return "succeeded";
  }
  if (intent.status === "requires_payment_method" || intent.status === "canceled") {
    const error = intent.last_payment_error;
    await settleFailedAutoTopUp(autoTopUpId, {
      topUpId,
      customerId,
      paymentIntentId: intent.id,
      code: error?.decline_code ?? error?.code ?? intent.status,
      message: error?.message ?? `The payment is ${intent.status}`,
      event,
    });
    return "failed";
  }
  return "processing";
}

/** The top-up `failed` (with `top_up.failed`), then the request (auto-top-up-records.ts). */
export async function settleFailedAutoTopUp(
  autoTopUpId: string,
  failure: { topUpId: string; customerId: string; paymentIntentId: string | null; code: string; message: string; event: StripeEventRef | null },
): Promise<void> {
  await recordTopUpState(failure.topUpId, { status: "failed", paymentIntentId: failure.paymentIntentId }, failure.event);
  await finishAutoTopUp(autoTopUpId, {
    status: "failed",
    paymentIntentId: failure.paymentIntentId,
    failureCode: failure.code,
    failureMessage: failure.message,
  });
}

async function loadContext(r: AutoTopUpRequest): Promise<AttemptContext> {
  const [customer, settings] = await Promise.all([
    prisma().customer.findUniqueOrThrow({ where: { id: r.customer_id }, select: { platformId: true, liveMode: true, stripeCustomerId: true } }),
    prisma().autoTopUpSettings.findUnique({
      where: { customerId_accountName_asset: { customerId: r.customer_id, accountName: r.account_name, asset: r.asset } },
    }),
  ]);
  return {
    tenant: { platformId: customer.platformId, liveMode: customer.liveMode },
    stripeCustomerId: customer.stripeCustomerId,
    settings: settings && {
      enabled: settings.enabled,
      paymentMethodId: settings.paymentMethodId,
      monthlyCap: new Dec(settings.monthlyCap.toFixed()),
      currency: settings.currency,
    },
  };
}

/** What this account's succeeded auto top-ups paid this calendar month (UTC), in the request's currency. */
async function spentThisMonth(r: AutoTopUpRequest): Promise<Dec> {
  const { rows } = await pool().query<{ spent: string }>(
    `SELECT COALESCE(sum(amount), 0)::text AS spent FROM auto_top_ups
      WHERE customer_id = $1 AND account_name = $2 AND asset = $3 AND currency = $4 AND status = 'succeeded'
        AND created_at >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`,
    [r.customer_id, r.account_name, r.asset, r.currency],
  );
  return new Dec(rows[0]!.spent);
}
