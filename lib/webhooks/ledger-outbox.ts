import { accountKey, registerBatchListener, type BatchListener, type HoldState, type LedgerEvent, type RaisedEvent } from "@/lib/ledger";
import { amountToJson } from "@/lib/money";
import { webhookEventDraft, webhookEventsWrite } from "./record-webhook-events";
import { requestWebhookDispatch } from "./request-webhook-dispatch";
import type { WebhookEventDraft, WebhookTopic } from "./topics";

/**
 * The outbox as a listener of the ledger's batches: the events a batch collected become
 * `webhook_events` rows in the batch's own transaction (one statement, none when the batch
 * caused nothing), so a committed change always has its webhooks and a rolled-back or
 * retried one never leaves any; after COMMIT the job worker is asked to deliver them.
 *
 * Registered when this module loads. Every module that runs ledger batches imports it
 * (for `webhookEvent`, or for this effect alone); the ledger refuses to run a batch while
 * nothing is registered (lib/ledger/batch-listeners.ts).
 */
const BY = "webhooks";

interface RaisedWebhook {
  topic: WebhookTopic;
  data: Record<string, unknown>;
}

/**
 * A webhook a job raises in its ledger batch (`wallet.emit(webhookEvent(…))`): recorded
 * with the batch's rows, in its transaction. `data` is the envelope's, as the API answers.
 */
export function webhookEvent(topic: WebhookTopic, data: Record<string, unknown>): RaisedEvent {
  const payload: RaisedWebhook = { topic, data };
  return { type: "raised", by: BY, payload };
}

/**
 * A hold as every `hold.*` webhook's `data` carries it: the API's Hold (GET …/holds/{id}),
 * in one place because the ledger raises `hold.expired` itself and lib/holds the others.
 */
export function holdWebhookData(customerId: string, hold: HoldState): Record<string, unknown> {
  return {
    id: hold.id,
    reference: hold.reference,
    customer_id: customerId,
    status: hold.status,
    amounts: hold.amounts.map((a) => ({
      account_id: accountKey(a.name, a.asset),
      asset: a.asset,
      amount: amountToJson(a.amount),
      captured: amountToJson(a.captured),
      released: amountToJson(a.released),
    })),
    expires_at: hold.expiresAt.toISOString(),
    subject: hold.subject,
    metadata: hold.metadata,
    created_at: hold.createdAt.toISOString(),
    closed_at: hold.closedAt?.toISOString() ?? null,
  };
}

/** The outbox draft of a batch event (null: not a webhook), made at `now`, the batch's clock. */
export function ledgerEventDraft(event: LedgerEvent, now: Date): WebhookEventDraft | null {
  switch (event.type) {
    case "grant_expired":
      return webhookEventDraft(
        "credit_grant.expired",
        {
          id: event.grantId,
          customer_id: event.customerId,
          account_id: event.accountId,
          asset: event.asset,
          purpose: event.purpose,
          amount: amountToJson(event.amount),
          expired_amount: amountToJson(event.expiredAmount),
          expires_at: event.expiresAt.toISOString(),
          transaction_id: event.transactionId,
        },
        now,
      );
    case "balance_low":
      return webhookEventDraft(
        "wallet.balance_low",
        {
          customer_id: event.customerId,
          account_id: event.accountId,
          asset: event.asset,
          available: amountToJson(event.balance),
          low_balance_threshold: amountToJson(event.threshold),
        },
        now,
      );
    case "hold_expired":
      return webhookEventDraft("hold.expired", holdWebhookData(event.customerId, event.hold), now);
    case "raised": {
      if (event.by !== BY) return null;
      const { topic, data } = event.payload as RaisedWebhook;
      return webhookEventDraft(topic, data, now);
    }
  }
}

function drafts(events: readonly LedgerEvent[], now: Date): WebhookEventDraft[] {
  const out: WebhookEventDraft[] = [];
  for (const e of events) {
    const draft = ledgerEventDraft(e, now);
    if (draft) out.push(draft);
  }
  return out;
}

export const ledgerOutbox: BatchListener = {
  // The outbox rows join the ledger's own write statement: a batch that caused events pays
  // no round trip for them, and they commit or roll back with its rows.
  flushWith(batch) {
    if (batch.events.length === 0) return null;
    const events = drafts(batch.events, batch.now);
    return events.length ? webhookEventsWrite(events) : null;
  },
  afterCommit(batch) {
    if (batch.events.some((e) => e.type !== "raised" || e.by === BY)) requestWebhookDispatch();
  },
};

registerBatchListener(BY, ledgerOutbox);
