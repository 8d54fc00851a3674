import pg from "pg";
import { it, expect } from "vitest";
import { prepareDatabase } from "./global-setup";
import { withScratchDatabase } from "./scratch-database";

/**
 * What the suite's database holds before the first test file runs (test/global-setup.ts),
 * checked on a database of its own so no other test file's worker can have made it first.
 */
it("prepares a database with the project's migrations and the job queue's schema", async () => {
  await withScratchDatabase("prepare", async (url) => {
    await prepareDatabase(url);
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const { rows } = await db.query<{ migrations: number; queue: string | null }>(
        `SELECT (SELECT count(*)::int FROM _prisma_migrations) AS migrations,
                to_regnamespace('graphile_worker')::text AS queue`,
      );
      expect(rows[0]!.migrations).toBeGreaterThan(0);
      expect(rows[0]!.queue).toBe("graphile_worker");
      // What requestWebhookDispatch runs, on the freshly prepared database.
      await db.query(`SELECT graphile_worker.add_job('dispatch_webhooks', '{}'::json, job_key => 'k', job_key_mode => 'replace', max_attempts => 1)`);
    } finally {
      await db.end();
    }
  });
});
