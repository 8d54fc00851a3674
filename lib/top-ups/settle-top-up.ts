import { pool } from "@/lib/db";
import { ConflictError } from "@/lib/errors";
import { hashRequest, runInCustomerBatch } from "@/lib/ledger";
import { isLimitError, toStored, type Dec } from "@/lib/money";
import { recordWebhookEvents, webhookEventDraft } from "@/lib/webhooks/record-webhook-events";
import { webhookEvent } from "@/lib/webhooks/ledger-outbox";
import { requestWebhookDispatch } from "@/lib/webhooks/request-webhook-dispatch";
import { holdInBatch, isOpenReview, logReview, paymentMismatch, withholdsCredit, type ReviewFinding, type StripePayment } from "./review-top-up";
import { loadedTopUp, rememberEvent, settlementGroup, type SettlementContext, type SettlementInput } from "./settlement-group";
import { TOP_UP_COLUMNS, fromRow, topUpWebhookData, type StripeEventRef, type TopUpRecord, type TopUpRow } from "./top-up-records";
import { topUpSettledEvent } from "./top-up-settled";

/**
 * Settlement of top-ups: the ledger effect of a payment or a refund, the top-up's new
 * state and the Stripe event that caused it, written in ONE database transaction.
 *
 * Why one transaction and not "credit, then record the event": ledger writes run in the
 * customer's batch transaction (lib/ledger/customer-batch.ts), and that batch takes a
 * group (`settlementGroup`, settlement-group.ts) whose `preload` reads the top-ups and the already-recorded
 * event ids inside the same transaction and whose `persist` writes the
 * top-up rows and inserts the events before COMMIT. So a crash can leave either
 * everything or nothing: never a credit without `succeeded`, nor a recorded event
 * without its credit. On top of that, each effect has its own ledger idempotency key
 * (`topup:{id}` for the credit, `topup:{id}:refund:{total}` for a refund), so even a path
 * without an event (the expiry job settling a paid session) cannot credit twice, and two
 * processes handling the same event race into a unique violation that the batch retries
 * into a replay.
 */

export type SettlementOutcome =
  | "credited"
  | "already_credited"
  | "reversed"
  | "nothing_to_reverse"
  | "held_for_review"
  | "flagged_for_review"
  | "duplicate_event";

/** The ledger key of a top-up's credit: one credit per top-up, whoever asks. */
export function topUpCreditKey(topUpId: string): string {
  return `topup:${topUpId}`;
}

/**
 * Credits a paid top-up's destination account exactly once (a `paid` grant of
 * `credit_amount`, expiring at `credit_expires_at` when that is still ahead, else in one
 * year; the exchange rate recorded on the entry) and marks it `succeeded`, whatever its
 * status was: a payment Stripe took is always credited, even if an `expired` or `failed`
 * got here first. With `event`, the event is recorded in the same transaction and a
 * second delivery of it changes nothing.
 *
 * `paid` is what Stripe says was paid (the session's `amount_total` and `currency`), or
 * `"operator"` for resolveTopUpReview. Checked inside the batch, against the row read in
 * its transaction, the top-up is held for review instead of credited (`held_for_review`,
 * review-top-up.ts) when the payment is not the top-up's, when the credit would take the
 * balance above the ceiling (lib/money/limits.ts), or while an earlier review is open (or
 * was rejected);
 * a mismatch on a top-up already credited flags it (`flagged_for_review`) and changes
 * nothing else.
 */
export async function creditPaidTopUp(
  topUp: Pick<TopUpRecord, "id" | "customerId">,
  options: { paymentIntentId: string | null; event: StripeEventRef | null; paid: StripePayment | "operator" },
): Promise<SettlementOutcome> {
  const { event, paymentIntentId, paid } = options;
  const operator = paid === "operator";
  let held: ReviewFinding | null = null;
  const outcome = await runInCustomerBatch<SettlementOutcome, SettlementContext, SettlementInput>(topUp.customerId, {
    idempotencyKeys: [topUpCreditKey(topUp.id)],
    group: settlementGroup,
    groupInput: { topUpId: topUp.id, event },
    apply(wallet, ctx) {
      held = null;
      if (event && ctx.seenEvents.has(event.id)) return "duplicate_event";
      const t = loadedTopUp(ctx, topUp.id);
      const hold = (finding: ReviewFinding | null) => {
        held = finding;
        return holdInBatch(t, ctx, finding, { event, paymentIntentId, now: wallet.now });
      };
      if (operator) assertResolvableByCredit(t);
      else {
        const mismatch = paymentMismatch(t, paid);
        if (mismatch) return hold(mismatch);
        if (!t.grantId && withholdsCredit(t.review)) return hold(null);
      }
      let outcome: SettlementOutcome = "already_credited";
      if (!t.grantId) {
        let result;
        try {
          result = wallet.credit({
            idempotencyKey: topUpCreditKey(t.id),
            requestHash: hashRequest({ top_up_id: t.id }),
            accountName: t.accountName,
            asset: t.asset,
            amount: t.creditAmount,
            purpose: "paid",
            expiresAt: t.creditExpiresAt && t.creditExpiresAt.getTime() > wallet.now.getTime() ? t.creditExpiresAt : undefined,
            rate: t.exchangeRate,
            description: t.description ?? `Top-up ${t.id}`,
            metadata: { top_up_id: t.id, amount: t.amount.toFixed(), currency: t.currency, exchange_rate: t.exchangeRate.toFixed() },
            source: { top_up_id: t.id },
          });
        } catch (error) {
          // Retrying can never make a too-large credit fit: hold it (the operator's own
          // credit answers the 422 instead).
          if (operator || !isLimitError(error)) throw error;
          return hold({ reason: "balance_limit", detail: error.message });
        }
        t.grantId = result.grant_id ?? null;
        outcome = result.replayed ? "already_credited" : "credited";
      }
      if (operator) t.review = { ...t.review!, resolution: "credited", resolved_at: wallet.now.toISOString() };
      const newlySucceeded = t.status !== "succeeded";
      t.status = "succeeded";
      t.paymentIntentId ??= paymentIntentId;
      ctx.changed.add(t.id);
      // Once per top-up: written with its status change, in the batch's transaction.
      if (newlySucceeded) {
        wallet.emit(webhookEvent("top_up.succeeded", topUpWebhookData(t)));
        wallet.emit(topUpSettledEvent(t.id));
      }
      rememberEvent(ctx, event);
      return outcome;
    },
  });
  if (outcome === "held_for_review" || outcome === "flagged_for_review") logReview(topUp.id, held, event);
  return outcome;
}

/** An operator's credit needs an open review, no credit yet and nothing refunded. */
function assertResolvableByCredit(t: TopUpRecord) {
  if (!isOpenReview(t.review)) throw new ConflictError(`top-up ${t.id} has no open review`);
  if (t.grantId) throw new ConflictError(`top-up ${t.id} is already credited`);
  if (t.refundedAmount.gt(0)) throw new ConflictError(`top-up ${t.id} was partly refunded at Stripe: reject the review instead`);
}

/**
 * Applies a Stripe refund to a succeeded top-up. `refundedTotal` is the charge's
 * cumulative `amount_refunded` (in the top-up's currency); only the part beyond what was
 * already applied is reversed, so duplicated and out-of-order `charge.refunded` events
 * change nothing twice. The credit is reversed in proportion, computed on cumulative
 * totals (credit_amount × refunded / amount) so that a full refund takes back exactly
 * credit_amount. The ledger takes back what is left of the top-up's grant and records
 * the rest as debt (lib/ledger reverse).
 *
 * A top-up held for review or rejected (never credited) has nothing to reverse: the refund is only
 * recorded (`refunded_amount`), so the operator sees the money went back.
 */
export async function reverseRefundedTopUp(
  topUp: Pick<TopUpRecord, "id" | "customerId" | "grantId" | "amount" | "review">,
  refundedTotal: Dec,
  event: StripeEventRef | null,
): Promise<SettlementOutcome> {
  // The webhook handler refuses larger refunds into a review first (refundMismatch).
  if (refundedTotal.gt(topUp.amount)) throw new Error(`refund of ${refundedTotal.toFixed()} exceeds top-up ${topUp.id}`);
  if (!topUp.grantId) {
    if (withholdsCredit(topUp.review)) return recordRefundOfHeldTopUp(topUp, refundedTotal, event);
    throw new Error(`top-up ${topUp.id} has no credit to reverse yet`);
  }
  const creditTransactionId = await grantTransactionId(topUp.customerId, topUp.grantId);
  const key = `${topUpCreditKey(topUp.id)}:refund:${refundedTotal.toFixed()}`;
  return runInCustomerBatch<SettlementOutcome, SettlementContext, SettlementInput>(topUp.customerId, {
    idempotencyKeys: [key],
    referencedTransactions: [creditTransactionId],
    group: settlementGroup,
    groupInput: { topUpId: topUp.id, event },
    apply(wallet, ctx) {
      if (event && ctx.seenEvents.has(event.id)) return "duplicate_event";
      const t = loadedTopUp(ctx, topUp.id);
      if (refundedTotal.lte(t.refundedAmount)) {
        rememberEvent(ctx, event);
        return "nothing_to_reverse";
      }
      const units = refundedUnits(t, refundedTotal).minus(refundedUnits(t, t.refundedAmount));
      if (units.gt(0)) {
        wallet.reverse({
          idempotencyKey: key,
          transactionId: creditTransactionId,
          amount: units,
          description: `Refund of top-up ${t.id}`,
          metadata: { top_up_id: t.id, refunded_amount: refundedTotal.toFixed(), currency: t.currency },
        });
      }
      t.refundedAmount = refundedTotal;
      ctx.changed.add(t.id);
      rememberEvent(ctx, event);
      return "reversed";
    },
  });
}

function recordRefundOfHeldTopUp(topUp: Pick<TopUpRecord, "id" | "customerId">, refundedTotal: Dec, event: StripeEventRef | null): Promise<SettlementOutcome> {
  return runInCustomerBatch<SettlementOutcome, SettlementContext, SettlementInput>(topUp.customerId, {
    idempotencyKeys: [],
    group: settlementGroup,
    groupInput: { topUpId: topUp.id, event },
    apply(_wallet, ctx) {
      if (event && ctx.seenEvents.has(event.id)) return "duplicate_event";
      const t = loadedTopUp(ctx, topUp.id);
      // Credited meanwhile (an operator's decision): let Stripe retry into the normal path.
      if (t.grantId) throw new Error(`top-up ${t.id} was credited while its refund was handled; retry`);
      if (refundedTotal.gt(t.refundedAmount)) t.refundedAmount = refundedTotal;
      ctx.changed.add(t.id);
      rememberEvent(ctx, event);
      return "nothing_to_reverse";
    },
  });
}

/** Destination units that `refunded` (in the currency) of the top-up stands for. */
function refundedUnits(t: TopUpRecord, refunded: Dec): Dec {
  if (refunded.gte(t.amount)) return t.creditAmount;
  return toStored(t.creditAmount.times(refunded).div(t.amount));
}

async function grantTransactionId(customerId: string, grantId: string): Promise<string> {
  const { rows } = await pool().query<{ transaction_id: string }>(
    `SELECT transaction_id FROM credit_grants WHERE customer_id = $1 AND id = $2`,
    [customerId, grantId],
  );
  if (!rows[0]) throw new Error(`credit grant ${grantId} not found`);
  return rows[0].transaction_id;
}

export type TopUpStateChange = "updated" | "unchanged" | "duplicate_event";

/** SQL: the top-up has no review, or its review is resolved. */
export const NO_OPEN_REVIEW = `(review IS NULL OR review ? 'resolution')`;

/**
 * A change without a ledger effect, with its event, in one transaction:
 * - `status` (`failed` or `expired`) applies only to an `initiated` top-up without an open
 *   review: an `expired` arriving after `completed` never un-succeeds it, and a top-up
 *   held for review waits for its operator;
 * - `paymentIntentId` is stored if none is (a delayed payment in progress, so the expiry
 *   job leaves the top-up to its webhooks).
 * The event insert comes first (ON CONFLICT DO NOTHING): a concurrent delivery of the
 * same event waits on it and then finds it recorded. The move from `initiated` to `failed`
 * records a `top_up.failed` webhook event in the same transaction (lib/webhooks outbox).
 */
export async function recordTopUpState(
  topUpId: string,
  change: { status?: "failed" | "expired"; paymentIntentId?: string | null },
  event: StripeEventRef | null,
): Promise<TopUpStateChange> {
  const client = await pool().connect();
  let failed = false;
  try {
    await client.query("BEGIN");
    if (event) {
      const inserted = await client.query(`INSERT INTO stripe_events (id, type) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING RETURNING id`, [
        event.id,
        event.type,
      ]);
      if (inserted.rowCount === 0) {
        await client.query("ROLLBACK");
        return "duplicate_event";
      }
    }
    // The status before the change (locked), so `top_up.failed` is recorded once, on the transition.
    const before = await client.query<{ status: string }>(`SELECT status FROM top_ups WHERE id = $1 FOR UPDATE`, [topUpId]);
    // A top-up held for review keeps its status until an operator decides (review-top-up.ts).
    const updated = await client.query<TopUpRow>(
      `UPDATE top_ups
          SET status = CASE WHEN status = 'initiated' AND $2::text IS NOT NULL AND ${NO_OPEN_REVIEW} THEN $2::text ELSE status END,
              payment_intent_id = COALESCE(payment_intent_id, $3::text),
              updated_at = now()
        WHERE id = $1
          AND ((status = 'initiated' AND $2::text IS NOT NULL AND ${NO_OPEN_REVIEW}) OR (payment_intent_id IS NULL AND $3::text IS NOT NULL))
        RETURNING ${TOP_UP_COLUMNS}`,
      [topUpId, change.status ?? null, change.paymentIntentId ?? null],
    );
    const row = updated.rows[0];
    if (row && row.status === "failed" && before.rows[0]?.status === "initiated") {
      const topUp = fromRow(row);
      await recordWebhookEvents(client, topUp.customerId, [webhookEventDraft("top_up.failed", topUpWebhookData(topUp), new Date())]);
      failed = true;
    }
    await client.query("COMMIT");
    if (failed) requestWebhookDispatch();
    return updated.rowCount ? "updated" : "unchanged";
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
