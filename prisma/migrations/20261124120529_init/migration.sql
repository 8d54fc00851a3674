-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "platforms" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "brand_color" TEXT NOT NULL DEFAULT '#4f46e5',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "platforms_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" TEXT NOT NULL,
    "platform_id" TEXT NOT NULL,
    "live_mode" BOOLEAN NOT NULL,
    "key_hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customers" (
    "id" TEXT NOT NULL,
    "platform_id" TEXT NOT NULL,
    "live_mode" BOOLEAN NOT NULL,
    "name" TEXT,
    "email" TEXT,
    "external_id" TEXT,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "customers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "assets" (
    "id" TEXT NOT NULL,
    "platform_id" TEXT NOT NULL,
    "live_mode" BOOLEAN NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "precision" INTEGER NOT NULL,
    "symbol" TEXT,
    "label" TEXT,
    "rates" JSONB NOT NULL DEFAULT '[]',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "assets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "products" (
    "id" TEXT NOT NULL,
    "platform_id" TEXT NOT NULL,
    "live_mode" BOOLEAN NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "default_version" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "products_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "product_versions" (
    "product_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "prices" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),

    CONSTRAINT "product_versions_pkey" PRIMARY KEY ("product_id","version")
);

-- CreateTable
CREATE TABLE "subscriptions" (
    "id" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "product_id" TEXT NOT NULL,
    "version" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "subscriptions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "accounts" (
    "id" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "asset" TEXT NOT NULL,
    "balance" DECIMAL(38,12) NOT NULL DEFAULT 0,
    "overdraft_limit" DECIMAL(38,12) NOT NULL DEFAULT 0,
    "pending_in" DECIMAL(38,12) NOT NULL DEFAULT 0,
    "pending_out" DECIMAL(38,12) NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "credit_grants" (
    "id" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "amount" DECIMAL(38,12) NOT NULL,
    "remaining" DECIMAL(38,12) NOT NULL,
    "effective_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3),
    "status" TEXT NOT NULL DEFAULT 'live',
    "transaction_id" TEXT NOT NULL,
    "source" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "credit_grants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_transactions" (
    "id" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "description" TEXT,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "result" JSONB NOT NULL,
    "reverses_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_transactions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_entries" (
    "id" BIGSERIAL NOT NULL,
    "transaction_id" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "grant_id" TEXT,
    "amount" DECIMAL(38,12) NOT NULL,
    "kind" TEXT NOT NULL,
    "rate" DECIMAL(38,12),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_entries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "usage_events" (
    "event_id" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "platform_id" TEXT NOT NULL,
    "live_mode" BOOLEAN NOT NULL,
    "event_type" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "subject" TEXT,
    "description" TEXT,
    "data" JSONB NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL,
    "reason" TEXT,
    "fees" JSONB NOT NULL DEFAULT '[]',
    "transaction_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "usage_events_pkey" PRIMARY KEY ("customer_id","event_id")
);

-- CreateTable
CREATE TABLE "top_ups" (
    "id" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "platform_id" TEXT NOT NULL,
    "live_mode" BOOLEAN NOT NULL,
    "status" TEXT NOT NULL,
    "amount" DECIMAL(38,12) NOT NULL,
    "currency" TEXT NOT NULL,
    "description" TEXT,
    "account_name" TEXT NOT NULL,
    "asset" TEXT NOT NULL,
    "exchange_rate" DECIMAL(38,12) NOT NULL,
    "credit_amount" DECIMAL(38,12) NOT NULL,
    "credit_expires_at" TIMESTAMPTZ(3),
    "return_url" TEXT,
    "failure_url" TEXT,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "checkout_session_id" TEXT,
    "checkout_url" TEXT,
    "payment_intent_id" TEXT,
    "grant_id" TEXT,
    "refunded_amount" DECIMAL(38,12) NOT NULL DEFAULT 0,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "top_ups_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stripe_events" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stripe_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "redirect_tokens" (
    "token_hash" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "return_url" TEXT,
    "failure_url" TEXT,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "redirect_tokens_pkey" PRIMARY KEY ("token_hash")
);

-- CreateTable
CREATE TABLE "portal_sessions" (
    "id" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "customer_id" TEXT NOT NULL,
    "return_url" TEXT,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "portal_sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "verification_tokens" (
    "identifier" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "expires" TIMESTAMPTZ(3) NOT NULL
);

-- CreateTable
CREATE TABLE "webhook_endpoints" (
    "id" TEXT NOT NULL,
    "platform_id" TEXT NOT NULL,
    "live_mode" BOOLEAN NOT NULL,
    "url" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "topics" TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_endpoints_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_deliveries" (
    "id" TEXT NOT NULL,
    "endpoint_id" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "last_status" INTEGER,
    "last_error" TEXT,
    "delivered_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_key_hash_key" ON "api_keys"("key_hash");

-- CreateIndex
CREATE INDEX "api_keys_platform_id_idx" ON "api_keys"("platform_id");

-- CreateIndex
CREATE INDEX "customers_platform_id_live_mode_created_at_idx" ON "customers"("platform_id", "live_mode", "created_at");

-- CreateIndex
CREATE INDEX "customers_email_idx" ON "customers"("email");

-- CreateIndex
CREATE UNIQUE INDEX "customers_platform_id_live_mode_external_id_key" ON "customers"("platform_id", "live_mode", "external_id");

-- CreateIndex
CREATE UNIQUE INDEX "assets_platform_id_live_mode_code_key" ON "assets"("platform_id", "live_mode", "code");

-- CreateIndex
CREATE UNIQUE INDEX "products_platform_id_live_mode_code_key" ON "products"("platform_id", "live_mode", "code");

-- CreateIndex
CREATE UNIQUE INDEX "subscriptions_customer_id_product_id_key" ON "subscriptions"("customer_id", "product_id");

-- CreateIndex
CREATE UNIQUE INDEX "accounts_customer_id_name_asset_key" ON "accounts"("customer_id", "name", "asset");

-- CreateIndex
CREATE INDEX "credit_grants_customer_id_account_id_status_idx" ON "credit_grants"("customer_id", "account_id", "status");

-- CreateIndex
CREATE INDEX "credit_grants_status_expires_at_idx" ON "credit_grants"("status", "expires_at");

-- CreateIndex
CREATE INDEX "ledger_transactions_customer_id_created_at_idx" ON "ledger_transactions"("customer_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "ledger_transactions_customer_id_idempotency_key_key" ON "ledger_transactions"("customer_id", "idempotency_key");

-- CreateIndex
CREATE INDEX "ledger_entries_customer_id_account_id_idx" ON "ledger_entries"("customer_id", "account_id");

-- CreateIndex
CREATE INDEX "ledger_entries_transaction_id_idx" ON "ledger_entries"("transaction_id");

-- CreateIndex
CREATE INDEX "usage_events_platform_id_live_mode_event_id_idx" ON "usage_events"("platform_id", "live_mode", "event_id");

-- CreateIndex
CREATE INDEX "usage_events_customer_id_created_at_idx" ON "usage_events"("customer_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "top_ups_checkout_session_id_key" ON "top_ups"("checkout_session_id");

-- CreateIndex
CREATE INDEX "top_ups_customer_id_created_at_idx" ON "top_ups"("customer_id", "created_at");

-- CreateIndex
CREATE INDEX "top_ups_platform_id_live_mode_created_at_idx" ON "top_ups"("platform_id", "live_mode", "created_at");

-- CreateIndex
CREATE INDEX "top_ups_status_expires_at_idx" ON "top_ups"("status", "expires_at");

-- CreateIndex
CREATE INDEX "redirect_tokens_customer_id_idx" ON "redirect_tokens"("customer_id");

-- CreateIndex
CREATE UNIQUE INDEX "portal_sessions_token_hash_key" ON "portal_sessions"("token_hash");

-- CreateIndex
CREATE INDEX "portal_sessions_customer_id_idx" ON "portal_sessions"("customer_id");

-- CreateIndex
CREATE UNIQUE INDEX "verification_tokens_token_key" ON "verification_tokens"("token");

-- CreateIndex
CREATE UNIQUE INDEX "verification_tokens_identifier_token_key" ON "verification_tokens"("identifier", "token");

-- CreateIndex
CREATE INDEX "webhook_endpoints_platform_id_live_mode_idx" ON "webhook_endpoints"("platform_id", "live_mode");

-- CreateIndex
CREATE INDEX "webhook_deliveries_endpoint_id_created_at_idx" ON "webhook_deliveries"("endpoint_id", "created_at");

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_platform_id_fkey" FOREIGN KEY ("platform_id") REFERENCES "platforms"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "customers" ADD CONSTRAINT "customers_platform_id_fkey" FOREIGN KEY ("platform_id") REFERENCES "platforms"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "product_versions" ADD CONSTRAINT "product_versions_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
