-- AlterTable
ALTER TABLE "webhook_endpoints" ADD COLUMN     "connect" BOOLEAN NOT NULL DEFAULT false;
