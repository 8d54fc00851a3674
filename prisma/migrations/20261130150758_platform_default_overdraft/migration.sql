-- AlterTable
ALTER TABLE "accounts" ALTER COLUMN "overdraft_limit" DROP NOT NULL,
ALTER COLUMN "overdraft_limit" DROP DEFAULT;

-- AlterTable
ALTER TABLE "platforms" ADD COLUMN     "live_default_overdraft_limit" DECIMAL(38,12) NOT NULL DEFAULT 0,
ADD COLUMN     "test_default_overdraft_limit" DECIMAL(38,12) NOT NULL DEFAULT 0;

-- Accounts that kept the old default (0) now follow their platform's default, which is 0
-- for every platform until it sets one: no account's limit changes here.
UPDATE "accounts" SET "overdraft_limit" = NULL WHERE "overdraft_limit" = 0;
