-- CreateTable
CREATE TABLE "holds" (
    "id" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "amounts" JSONB NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "subject" TEXT,
    "metadata" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closed_at" TIMESTAMPTZ(3),

    CONSTRAINT "holds_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "holds_customer_id_status_idx" ON "holds"("customer_id", "status");

-- CreateIndex
CREATE INDEX "holds_status_expires_at_idx" ON "holds"("status", "expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "holds_customer_id_reference_key" ON "holds"("customer_id", "reference");
