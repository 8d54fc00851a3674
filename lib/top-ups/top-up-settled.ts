import type { LedgerEvent, RaisedEvent } from "@/lib/ledger";

/**
 * "This batch credited top-up X": raised in the settlement batch (creditPaidTopUp) beside
 * its `top_up.succeeded` webhook, for the batch listeners of modules above lib/top-ups
 * (lib/auto-top-ups ends its request in the same transaction as the credit).
 */
const BY = "top-ups";

interface TopUpSettled {
  topUpId: string;
}

export function topUpSettledEvent(topUpId: string): RaisedEvent {
  const payload: TopUpSettled = { topUpId };
  return { type: "raised", by: BY, payload };
}

/** The top-ups a batch credited (none for nearly every batch). */
export function settledTopUpIds(events: readonly LedgerEvent[]): string[] {
  const ids: string[] = [];
  for (const e of events) if (e.type === "raised" && e.by === BY) ids.push((e.payload as TopUpSettled).topUpId);
  return ids;
}
