import type { BatchGroup } from "@/lib/ledger";
import { NotFoundError } from "@/lib/errors";
import { insertStripeEvents, loadSeenStripeEvents, loadTopUps, saveTopUpSettlement, type StripeEventRef, type TopUpRecord } from "./top-up-records";

/**
 * The batch group every top-up settlement joins (settle-top-up.ts, review-top-up.ts): its
 * `preload` reads the top-ups and the already-recorded Stripe event ids inside the
 * customer's batch transaction (under its lock), its `persist` writes the changed top-up rows
 * and inserts the new events before COMMIT. So a top-up's status, grant, refunds and
 * review change in the same transaction as the ledger effect and the event that caused
 * them, and another process settling the same top-up waits for this batch's COMMIT (the
 * customer's lock) and then reads the row it left.
 */
export interface SettlementInput {
  topUpId: string;
  event: StripeEventRef | null;
}

export interface SettlementContext {
  topUps: Map<string, TopUpRecord>;
  seenEvents: Set<string>;
  newEvents: StripeEventRef[];
  changed: Set<string>;
}

export const settlementGroup: BatchGroup<SettlementContext, SettlementInput> = {
  async preload(client, _customerId, inputs) {
    const topUps = await loadTopUps(client, [...new Set(inputs.map((i) => i.topUpId))]);
    const seenEvents = await loadSeenStripeEvents(client, inputs.flatMap((i) => (i.event ? [i.event.id] : [])));
    return { topUps: new Map(topUps.map((t) => [t.id, t])), seenEvents, newEvents: [], changed: new Set() };
  },
  async persist(client, _customerId, ctx) {
    for (const id of ctx.changed) await saveTopUpSettlement(client, ctx.topUps.get(id)!);
    await insertStripeEvents(client, ctx.newEvents);
  },
};

export function loadedTopUp(ctx: SettlementContext, topUpId: string): TopUpRecord {
  const t = ctx.topUps.get(topUpId);
  if (!t) throw new NotFoundError(`no top-up ${topUpId}`);
  return t;
}

/** Records the event as handled by this batch (inserted by `persist`). */
export function rememberEvent(ctx: SettlementContext, event: StripeEventRef | null) {
  if (!event) return;
  ctx.seenEvents.add(event.id);
  ctx.newEvents.push(event);
}
