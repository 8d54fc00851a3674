import { pool } from "@/lib/db";
import { requestLogRetentionHours } from "./record-api-request";

/** Rows deleted per statement: a short transaction each, so the API's inserts never wait long. */
const CHUNK_ROWS = 5000;
/** Statements per run at most (the cron runs hourly; a backlog is finished by the next runs). */
const MAX_CHUNKS = 200;

/**
 * Deletes request log rows older than REQUEST_LOG_RETENTION_HOURS (all of them at 0, when
 * nothing is recorded any more), oldest first, in chunks of CHUNK_ROWS over the
 * `created_at` index. Returns how many rows went.
 */
export async function pruneApiRequests(retentionHours = requestLogRetentionHours()): Promise<number> {
  let pruned = 0;
  for (let chunk = 0; chunk < MAX_CHUNKS; chunk++) {
    const { rowCount } = await pool().query(
      `DELETE FROM api_requests WHERE id IN (
         SELECT id FROM api_requests WHERE created_at < now() - make_interval(hours => $1) ORDER BY created_at LIMIT $2
       )`,
      [retentionHours, CHUNK_ROWS],
    );
    pruned += rowCount ?? 0;
    if ((rowCount ?? 0) < CHUNK_ROWS) break;
  }
  return pruned;
}
