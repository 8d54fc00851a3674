/**
 * The topics Drawdown emits (PRODUCT.md "Outbound webhooks"). An endpoint subscribes to a
 * list of them, or to `*` for every topic, including ones added later.
 */
export const WEBHOOK_TOPICS = [
  "top_up.succeeded",
  "top_up.failed",
  "wallet.balance_low",
  "credit_grant.expired",
  "event.refused",
  "subscription.activated",
  "auto_top_up.succeeded",
  "auto_top_up.failed",
  "auto_top_up.disabled",
  "auto_top_up.capped",
  "hold.created",
  "hold.captured",
  "hold.released",
  "hold.expired",
] as const;

export type WebhookTopic = (typeof WEBHOOK_TOPICS)[number];

/** Subscribes an endpoint to every topic. */
export const ALL_TOPICS = "*";

/**
 * An event about to be recorded in the outbox. Made in memory while the change that causes
 * it is applied, written by recordWebhookEvents in the same database transaction.
 */
export interface WebhookEventDraft {
  /** `evt_…`: the envelope id, the same for every endpoint and every attempt. */
  id: string;
  type: WebhookTopic;
  /** The envelope's `data`: snake_case JSON, amounts as numbers (as the API answers). */
  data: Record<string, unknown>;
  createdAt: Date;
}
