-- Fewer index entries per usage event (docs/benchmarks.md, sixth session). Ledger entries keep
-- one index, (customer_id, transaction_id), which serves every reader (each filters by customer
-- first). The source reference index holds only the events that have one. Builds the new
-- indexes under a write lock on the two tables, so on a large ledger run it in a quiet moment.
-- (No semicolons or quotes in these comments: the engine splits on them.)

-- DropIndex
DROP INDEX "ledger_entries_customer_id_account_id_idx";

-- DropIndex
DROP INDEX "ledger_entries_transaction_id_idx";

-- DropIndex
DROP INDEX "usage_events_platform_id_live_mode_source_reference_idx";

-- CreateIndex
CREATE INDEX "ledger_entries_customer_id_transaction_id_idx" ON "ledger_entries"("customer_id", "transaction_id");

-- CreateIndex
CREATE INDEX "usage_events_platform_id_live_mode_source_reference_idx" ON "usage_events"("platform_id", "live_mode", "source_reference") WHERE (source_reference IS NOT NULL);
