-- A charge its caller deduplicates by a key of its own (a usage event, by its usage_events row)
-- stores no idempotency key: the unique index holds only the keys that are stored, so such a
-- charge writes one index entry fewer. Rows stored before keep their keys.
-- (No semicolons or quotes in these comments: the engine splits on them.)

-- DropIndex
DROP INDEX "ledger_transactions_customer_id_idempotency_key_key";

-- AlterTable
ALTER TABLE "ledger_transactions" ALTER COLUMN "idempotency_key" DROP NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "ledger_transactions_customer_id_idempotency_key_key" ON "ledger_transactions"("customer_id", "idempotency_key") WHERE (idempotency_key IS NOT NULL);
