-- AlterTable
ALTER TABLE "platforms" ADD COLUMN     "auto_top_up_default_amount" DECIMAL(38,12),
ADD COLUMN     "auto_top_up_default_monthly_cap" DECIMAL(38,12),
ADD COLUMN     "auto_top_up_default_threshold" DECIMAL(38,12),
ADD COLUMN     "live_default_low_balance_threshold" DECIMAL(38,12),
ADD COLUMN     "logo_url" TEXT,
ADD COLUMN     "test_default_low_balance_threshold" DECIMAL(38,12);

-- AlterTable
ALTER TABLE "usage_events" ADD COLUMN     "hold_id" TEXT;

-- CreateTable
CREATE TABLE "api_requests" (
    "id" BIGSERIAL NOT NULL,
    "platform_id" TEXT NOT NULL,
    "live_mode" BOOLEAN NOT NULL,
    "api_key_id" TEXT,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "duration_ms" INTEGER NOT NULL,
    "request_id" TEXT NOT NULL,
    "error_code" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "api_requests_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "api_requests_platform_id_live_mode_created_at_idx" ON "api_requests"("platform_id", "live_mode", "created_at");

-- CreateIndex
CREATE INDEX "api_requests_created_at_idx" ON "api_requests"("created_at");
