import pg from "pg";
import { inject, it, expect } from "vitest";
import { prepareDatabase } from "./global-setup";

/**
 * What the suite's database holds before the first test file runs (test/global-setup.ts),
 * checked on a database of its own so no other test file's worker can have made it first.
 */
it("prepares a database with the project's migrations and the job queue's schema", async () => {
  const name = `prepare_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: inject("databaseUrl") });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(inject("databaseUrl"));
    url.pathname = `/${name}`;
    await prepareDatabase(url.toString());

    const db = new pg.Client({ connectionString: url.toString() });
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
  } finally {
    await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.end();
  }
});
