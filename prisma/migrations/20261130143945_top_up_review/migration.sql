-- AlterTable
ALTER TABLE "top_ups" ADD COLUMN     "review" JSONB;
