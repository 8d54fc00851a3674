-- AlterTable
ALTER TABLE "usage_events" ADD COLUMN     "costs" JSONB;

-- CreateTable
CREATE TABLE "vendors" (
    "id" TEXT NOT NULL,
    "platform_id" TEXT NOT NULL,
    "live_mode" BOOLEAN NOT NULL,
    "name" TEXT NOT NULL,
    "external_id" TEXT,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "vendors_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "usage_rollups" (
    "customer_id" TEXT NOT NULL,
    "platform_id" TEXT NOT NULL,
    "live_mode" BOOLEAN NOT NULL,
    "day" DATE NOT NULL,
    "product_id" TEXT NOT NULL,
    "vendor_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "amount" DECIMAL(38,12) NOT NULL DEFAULT 0,
    "count" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "usage_rollups_pkey" PRIMARY KEY ("customer_id","day","product_id","vendor_id","kind","unit","status")
);

-- CreateIndex
CREATE INDEX "vendors_platform_id_live_mode_created_at_idx" ON "vendors"("platform_id", "live_mode", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "vendors_platform_id_live_mode_external_id_key" ON "vendors"("platform_id", "live_mode", "external_id");

-- CreateIndex
CREATE INDEX "usage_rollups_platform_id_live_mode_product_id_vendor_id_da_idx" ON "usage_rollups"("platform_id", "live_mode", "product_id", "vendor_id", "day");

-- Backfill the rollups from the events stored before them (none of which has costs), with
-- the rules of lib/stats/rollup-facts.ts: per UTC day of occurred_at, once for all products
-- (product_id *) and once per product named by the fees of the event. Revenue is the fees
-- of billed events. (No semicolons or quotes in these comments: the engine splits on them.)
INSERT INTO "usage_rollups" ("customer_id", "platform_id", "live_mode", "day", "product_id", "vendor_id", "kind", "unit", "status", "amount", "count")
SELECT customer_id, platform_id, live_mode, day, product_id, '*', 'events', '', status, 0, count(*)
  FROM (SELECT e.customer_id, e.platform_id, e.live_mode, (e.occurred_at AT TIME ZONE 'UTC')::date AS day, '*' AS product_id, e.status
          FROM "usage_events" e
        UNION ALL
        SELECT e.customer_id, e.platform_id, e.live_mode, (e.occurred_at AT TIME ZONE 'UTC')::date, p.product_id, e.status
          FROM "usage_events" e
          CROSS JOIN LATERAL (SELECT DISTINCT f->>'product_id' AS product_id FROM jsonb_array_elements(e.fees) f) p) x
 GROUP BY customer_id, platform_id, live_mode, day, product_id, status;

INSERT INTO "usage_rollups" ("customer_id", "platform_id", "live_mode", "day", "product_id", "vendor_id", "kind", "unit", "status", "amount", "count")
SELECT customer_id, platform_id, live_mode, day, product_id, '*', 'revenue', asset, '', sum(amount), count(*)
  FROM (SELECT e.customer_id, e.platform_id, e.live_mode, (e.occurred_at AT TIME ZONE 'UTC')::date AS day, p.product_id,
               f->>'asset' AS asset, (f->>'amount')::numeric AS amount
          FROM "usage_events" e
          CROSS JOIN LATERAL jsonb_array_elements(e.fees) f
          CROSS JOIN LATERAL (VALUES ('*'), (f->>'product_id')) p(product_id)
         WHERE e.status = 'billed') x
 GROUP BY customer_id, platform_id, live_mode, day, product_id, asset;
