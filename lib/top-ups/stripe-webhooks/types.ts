/** What the webhook route answers Stripe (200) once an event is handled. */
export interface WebhookResult {
  /** processed: handled now; duplicate: recorded before, nothing done; ignored: not ours. */
  status: "processed" | "duplicate" | "ignored";
  /** What the handler did, e.g. `credited`, `already_credited`, `reversed`, `updated`. */
  outcome?: string;
  top_up_id?: string;
  reason?: string;
}
