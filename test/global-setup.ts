import { runMigrations } from "graphile-worker";
import type { TestProject } from "vitest/node";
import { migrate } from "@/scripts/db/migrate";
import { makeTempDataDir, startEmbeddedPostgres } from "@/scripts/lib/embedded-pg";

/**
 * Runs once per `vitest run`: a throwaway PostgreSQL (fresh temp data directory, free
 * port), migrated with the project's migrations, shared by every test file. Tests keep
 * out of each other's way by creating their own platforms and customers (test/factories).
 *
 * TEST_DATABASE_URL points the suite at an existing server instead (it must be a database
 * the tests may write to; it is migrated but never cleaned). DATABASE_URL is deliberately
 * ignored so a developer's database is never used by accident.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.TEST_DATABASE_URL;
  const server = external ? null : await startEmbeddedPostgres({ dataDir: await makeTempDataDir(), persistent: false });
  const url = external ?? server!.url;
  try {
    await prepareDatabase(url);
  } catch (err) {
    await server?.stop();
    throw err;
  }
  // Workers read it through test/setup-env.ts; also set here for anything spawned later.
  process.env.DATABASE_URL = url;
  project.provide("databaseUrl", url);
  return async () => {
    await server?.stop();
  };
}

/**
 * The project's migrations, then the job queue's `graphile_worker` schema, as a running
 * app's worker would have made it. Every write that records an outbox event asks the queue
 * for a dispatch job (requestWebhookDispatch); without the schema that request fails and
 * warns ("schema graphile_worker does not exist") in whichever test file runs first.
 */
export async function prepareDatabase(url: string): Promise<void> {
  await migrate(url);
  await runMigrations({ connectionString: url });
}

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}
