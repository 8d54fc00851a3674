import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diffDatabaseToSchema, loadMigrations, MIGRATIONS_DIR } from "./engine";
import { migrate } from "./migrate";
import { diffMigrationsToSchema } from "./new-migration";
import { makeTempDataDir, startEmbeddedPostgres, type EmbeddedPostgresHandle } from "../lib/embedded-pg";

// A database of its own (not the suite's shared one): these tests create and drop things.
let server: EmbeddedPostgresHandle;
beforeAll(async () => {
  server = await startEmbeddedPostgres({ dataDir: await makeTempDataDir(), persistent: false, database: "migrations_test" });
});
afterAll(async () => {
  await server?.stop();
});

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe("prisma/migrations", () => {
  it("produce exactly what schema.prisma describes (db:new finds nothing to add)", async () => {
    expect(await diffMigrationsToSchema()).toBe("");
  }, 120_000);

  it("db:new reports the change when the schema gains a field", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "drawdown-schema-"));
    try {
      const schema = await fs.readFile(path.resolve(MIGRATIONS_DIR, "../schema.prisma"), "utf8");
      const changed = schema.replace(/model Platform \{\n/, 'model Platform {\n  website String?\n');
      expect(changed).not.toBe(schema);
      await fs.writeFile(path.join(dir, "schema.prisma"), changed);
      const sql = await diffMigrationsToSchema(MIGRATIONS_DIR, path.join(dir, "schema.prisma"));
      expect(sql).toMatch(/ALTER TABLE "platforms" ADD COLUMN\s+"website" TEXT/);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it("migrate() applies every migration to a fresh database, records it, and is idempotent", async () => {
    const expected = (await loadMigrations()).migrationDirectories.map((d) => d.path);
    expect(expected.length).toBeGreaterThan(0);

    expect(await migrate(server.url)).toEqual(expected);
    const rows = await query<{ migration_name: string; finished_at: Date | null; rolled_back_at: Date | null }>(
      server.url,
      "SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY migration_name",
    );
    expect(rows.map((r) => r.migration_name)).toEqual(expected);
    for (const row of rows) {
      expect(row.finished_at).not.toBeNull();
      expect(row.rolled_back_at).toBeNull();
    }

    expect(await migrate(server.url)).toEqual([]);
    // The live database now matches schema.prisma exactly (introspected, not assumed).
    expect(await diffDatabaseToSchema(server.url)).toBe("");
  }, 120_000);

  it("detects drift between the live database and the schema", async () => {
    await query(server.url, 'DROP INDEX "customers_email_idx"');
    try {
      expect(await diffDatabaseToSchema(server.url)).toContain('CREATE INDEX "customers_email_idx"');
    } finally {
      await query(server.url, 'CREATE INDEX "customers_email_idx" ON "customers"("email")');
    }
  }, 120_000);
});
