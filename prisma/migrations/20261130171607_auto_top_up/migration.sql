-- AlterTable
ALTER TABLE "customers" ADD COLUMN     "stripe_customer_id" TEXT;

-- AlterTable
ALTER TABLE "top_ups" ADD COLUMN     "automatic" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "auto_top_up_settings" (
    "customer_id" TEXT NOT NULL,
    "account_name" TEXT NOT NULL,
    "asset" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "threshold" DECIMAL(38,12) NOT NULL,
    "amount" DECIMAL(38,12) NOT NULL,
    "currency" TEXT NOT NULL,
    "payment_method_id" TEXT,
    "monthly_cap" DECIMAL(38,12) NOT NULL,
    "consecutive_failures" INTEGER NOT NULL DEFAULT 0,
    "disabled_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "auto_top_up_settings_pkey" PRIMARY KEY ("customer_id","account_name","asset")
);

-- CreateTable
CREATE TABLE "auto_top_ups" (
    "id" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "account_name" TEXT NOT NULL,
    "asset" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "amount" DECIMAL(38,12) NOT NULL,
    "currency" TEXT NOT NULL,
    "credit_amount" DECIMAL(38,12),
    "payment_intent_id" TEXT,
    "top_up_id" TEXT,
    "failure_code" TEXT,
    "failure_message" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "auto_top_ups_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "auto_top_up_settings_enabled_customer_id_idx" ON "auto_top_up_settings"("enabled", "customer_id");

-- CreateIndex
CREATE UNIQUE INDEX "auto_top_ups_payment_intent_id_key" ON "auto_top_ups"("payment_intent_id");

-- CreateIndex
CREATE UNIQUE INDEX "auto_top_ups_top_up_id_key" ON "auto_top_ups"("top_up_id");

-- CreateIndex
CREATE INDEX "auto_top_ups_customer_id_account_name_asset_created_at_idx" ON "auto_top_ups"("customer_id", "account_name", "asset", "created_at");

-- CreateIndex
CREATE INDEX "auto_top_ups_status_updated_at_idx" ON "auto_top_ups"("status", "updated_at");

-- CreateIndex
CREATE UNIQUE INDEX "customers_stripe_customer_id_key" ON "customers"("stripe_customer_id");

-- At most one auto top-up in flight per account: the ledger listener inserts requests
-- with ON CONFLICT DO NOTHING on this index, so concurrent crossings make one request.
-- The Prisma schema cannot express a partial index (see the comment on AutoTopUp).
CREATE UNIQUE INDEX "auto_top_ups_one_in_flight" ON "auto_top_ups"("customer_id", "account_name", "asset")
    WHERE "status" IN ('pending', 'processing');
