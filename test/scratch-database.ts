import pg from "pg";
import { inject } from "vitest";

/**
 * Runs `run` with the URL of a new, empty database on the suite's server (named after
 * `prefix`, the process and the time), dropped afterwards whatever happens: for a test
 * that needs a database no other test file writes to.
 */
export async function withScratchDatabase<T>(prefix: string, run: (url: string) => Promise<T>): Promise<T> {
  const name = `${prefix}_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: inject("databaseUrl") });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(inject("databaseUrl"));
    url.pathname = `/${name}`;
    return await run(url.toString());
  } finally {
    await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.end();
  }
}
