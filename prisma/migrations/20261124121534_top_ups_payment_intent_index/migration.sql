-- CreateIndex
CREATE INDEX "top_ups_payment_intent_id_idx" ON "top_ups"("payment_intent_id");
