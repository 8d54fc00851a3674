-- AlterTable
ALTER TABLE "ledger_transactions" ALTER COLUMN "request_hash" DROP NOT NULL,
ALTER COLUMN "result" DROP NOT NULL;
