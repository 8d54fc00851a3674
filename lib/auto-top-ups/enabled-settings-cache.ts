import { invalidationChannel } from "@/lib/cache-invalidation";
import { pool } from "@/lib/db";
import { Dec } from "@/lib/money";

/**
 * Which customers have auto top-up switched on, and their thresholds, held in process so
 * the ledger's hot path (auto-top-up-trigger.ts) pays no query for the customers (nearly
 * all of them) without it. One query loads every enabled setting; every settings write
 * empties it here and, through NOTIFY drawdown_auto_top_ups, in every other process
 * (lib/cache-invalidation.ts: long-lived while listening, 5 s otherwise).
 *
 * The cache only decides whether to look: the trigger's insert re-reads the settings row
 * in the batch's transaction, so a stale "enabled" never makes a request for settings
 * switched off. A stale "not enabled" can miss a crossing during the notification's
 * latency (milliseconds), or up to 5 s while this process does not listen.
 */
const channel = invalidationChannel("drawdown_auto_top_ups");

export interface EnabledThreshold {
  accountName: string;
  asset: string;
  threshold: Dec;
}

interface Snapshot {
  byCustomer: Map<string, EnabledThreshold[]>;
  expiresAt: number;
}

let snapshot: Snapshot | null = null;
let loading: Promise<Snapshot> | null = null;

channel.onInvalidate(() => {
  snapshot = null;
});

/** The customer's enabled thresholds, or undefined when it has none (the usual answer). */
export async function enabledThresholds(customerId: string): Promise<readonly EnabledThreshold[] | undefined> {
  channel.startListening();
  const current = snapshot && snapshot.expiresAt > Date.now() ? snapshot : await load();
  return current.byCustomer.get(customerId);
}

/** Call after a settings change committed (settings.ts, and the job when it disables). */
export function invalidateAutoTopUpCache(customerId: string): void {
  channel.invalidate(customerId);
}

function load(): Promise<Snapshot> {
  loading ??= (async () => {
    const generation = channel.generation();
    const { rows } = await pool().query<{ customer_id: string; account_name: string; asset: string; threshold: string }>(
      `SELECT customer_id, account_name, asset, threshold FROM auto_top_up_settings WHERE enabled`,
    );
    const byCustomer = new Map<string, EnabledThreshold[]>();
    for (const r of rows) {
      const list = byCustomer.get(r.customer_id) ?? [];
      list.push({ accountName: r.account_name, asset: r.asset, threshold: new Dec(r.threshold) });
      byCustomer.set(r.customer_id, list);
    }
    // An invalidation while the query ran may have made it stale: use it once, keep it not.
    const fresh = generation === channel.generation();
    const loaded = { byCustomer, expiresAt: fresh ? Date.now() + channel.ttlMs() : 0 };
    if (fresh) snapshot = loaded;
    return loaded;
  })().finally(() => {
    loading = null;
  });
  return loading;
}
