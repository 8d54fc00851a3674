/**
 * A second process charging the same wallet (lib/ledger/ledger-concurrency.int.test.ts):
 * its own per-customer queue, so its batches race the test process's batches in
 * PostgreSQL and only the ledger's per-customer lock keeps the ledger right.
 * Usage: tsx charge-worker.ts <customerId> <count> <amount> <keyPrefix> [startAt ms since
 * the epoch: every process of the race starts charging then]; prints JSON counts.
 */
import { InsufficientFundsError } from "@/lib/errors";
import { closeDb } from "@/lib/db";
import { charge } from "@/lib/ledger";
// Like every process that runs ledger batches: webhooks for what they cause (batch-listeners.ts).
import "@/lib/webhooks/ledger-outbox";
import { Dec } from "@/lib/money";

const [customerId, count, amount, prefix, startAt] = process.argv.slice(2);
if (startAt) await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
const results = await Promise.allSettled(
  Array.from({ length: Number(count) }, (_, i) =>
    charge(customerId!, { idempotencyKey: `${prefix}-${i}`, legs: [{ accountName: "default", asset: "USD", amount: new Dec(amount!) }] }),
  ),
);
const billed = results.filter((r) => r.status === "fulfilled").length;
const refused = results.filter((r) => r.status === "rejected" && r.reason instanceof InsufficientFundsError).length;
const failed = results.filter((r) => r.status === "rejected" && !(r.reason instanceof InsufficientFundsError));
process.stdout.write(JSON.stringify({ billed, refused, failed: failed.length, errors: failed.slice(0, 3).map((f) => String((f as PromiseRejectedResult).reason)) }));
await closeDb();
