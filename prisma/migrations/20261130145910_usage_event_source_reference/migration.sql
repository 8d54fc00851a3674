-- AlterTable
ALTER TABLE "usage_events" ADD COLUMN     "source_reference" TEXT;

-- CreateIndex
CREATE INDEX "usage_events_platform_id_live_mode_source_reference_idx" ON "usage_events"("platform_id", "live_mode", "source_reference");
