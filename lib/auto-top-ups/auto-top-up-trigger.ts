import type { PoolClient } from "pg";
import { newId } from "@/lib/ids";
import { registerBatchListener, type BalanceChange, type BatchListener, type FlushedBatch } from "@/lib/ledger";
import { settledTopUpIds } from "@/lib/top-ups";
import { requestWebhookDispatch } from "@/lib/webhooks/request-webhook-dispatch";
import { finishCreditedAutoTopUps } from "./auto-top-up-records";
import { enabledThresholds } from "./enabled-settings-cache";
import { requestAutoTopUpRun } from "./request-auto-top-up-run";

/**
 * Auto top-up's trigger, a listener of the ledger's batches (the outbox pattern of
 * lib/webhooks/ledger-outbox.ts): when a batch takes an account's available balance from
 * at or above its enabled threshold (at BEGIN) to below it (at COMMIT), the request is
 * inserted as a `pending` auto_top_ups row in the batch's own transaction. So a committed
 * crossing always has its request and a rolled-back or retried batch never leaves one.
 *
 * Exactly one in flight per account is the database's rule, not this code's: the insert
 * is ON CONFLICT DO NOTHING on the partial unique index `auto_top_ups_one_in_flight`
 * (pending or processing), so 100 concurrent crossings, in any number of processes, make
 * one request. A balance that stays below the threshold does not fire again: the next
 * request comes with the next crossing (after a refill, or a manual top-up).
 *
 * Hot path: a customer without enabled settings costs a Map look-up (the in-process
 * cache of enabled-settings-cache.ts); a query runs only on a crossing.
 *
 * The same listener ends a request when the batch credits its top-up (the settlement
 * raises `settledTopUpIds`), before it looks for crossings: see finishCreditedAutoTopUps.
 */
const BY = "auto-top-ups";

const requested = new WeakSet<FlushedBatch>();
const finished = new WeakSet<FlushedBatch>();

export const autoTopUpTrigger: BatchListener = {
  async onFlush(client, batches) {
    for (const batch of batches) await onCustomerFlush(client, batch);
  },
  afterCommit(batch) {
    if (requested.has(batch)) requestAutoTopUpRun();
    if (finished.has(batch)) requestWebhookDispatch();
  },
};

/** One customer's batch: queries only when it settled an auto top-up's payment or crossed an enabled threshold. */
async function onCustomerFlush(client: PoolClient, batch: FlushedBatch): Promise<void> {
  if (batch.events.length > 0) {
    const settled = settledTopUpIds(batch.events);
    if (settled.length && (await finishCreditedAutoTopUps(client, batch.customerId, settled, batch.now))) finished.add(batch);
  }
  if (batch.balanceChanges.length === 0) return;
  const thresholds = await enabledThresholds(batch.customerId);
  if (!thresholds) return;
  const crossings: BalanceChange[] = batch.balanceChanges.filter((c) => {
    const t = thresholds.find((s) => s.accountName === c.name && s.asset === c.asset);
    return t !== undefined && c.opening.gte(t.threshold) && c.closing.lt(t.threshold);
  });
  if (crossings.length === 0) return;
  // The settings row decides (the cache may be stale): enabled, and crossed at its threshold.
  const { rowCount } = await client.query(
    `INSERT INTO auto_top_ups (id, customer_id, account_name, asset, status, amount, currency, created_at, updated_at)
     SELECT c.id, s.customer_id, s.account_name, s.asset, 'pending', s.amount, s.currency, $2, $2
       FROM unnest($3::text[], $4::text[], $5::text[], $6::numeric[], $7::numeric[]) AS c(id, name, asset, opening, closing)
       JOIN auto_top_up_settings s ON s.customer_id = $1 AND s.account_name = c.name AND s.asset = c.asset
      WHERE s.enabled AND c.opening >= s.threshold AND c.closing < s.threshold
     ON CONFLICT (customer_id, account_name, asset) WHERE status IN ('pending', 'processing') DO NOTHING`,
    [
      batch.customerId,
      batch.now,
      crossings.map(() => newId("atu")),
      crossings.map((c) => c.name),
      crossings.map((c) => c.asset),
      crossings.map((c) => c.opening.toFixed()),
      crossings.map((c) => c.closing.toFixed()),
    ],
  );
  if (rowCount) requested.add(batch);
}

registerBatchListener(BY, autoTopUpTrigger);
