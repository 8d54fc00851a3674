import { pool } from "@/lib/db";
import { NO_OPEN_REVIEW } from "./settle-top-up";
import type { TopUpReview } from "./top-up";

/** The top-ups held for an operator whose review is still open, oldest finding first (`npm run top-up:review -- --list`). */
export async function listOpenTopUpReviews(): Promise<{ id: string; status: string; amount: string; currency: string; review: TopUpReview }[]> {
  const { rows } = await pool().query<{ id: string; status: string; amount: string; currency: string; review: TopUpReview }>(
    `SELECT id, status, amount::text, currency, review FROM top_ups
      WHERE review IS NOT NULL AND NOT ${NO_OPEN_REVIEW} ORDER BY review->>'flagged_at'`,
  );
  return rows;
}
