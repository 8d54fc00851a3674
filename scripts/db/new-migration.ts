import fs from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import {
  LOCKFILE,
  LOCKFILE_CONTENT,
  loadMigrations,
  MIGRATIONS_DIR,
  NO_FILTERS,
  readSchema,
  SCHEMA_PATH,
  scriptOrEmpty,
  withSchemaEngine,
} from "./engine";

/**
 * The SQL that takes a database migrated with every migration in `migrationsDir` to the
 * state described by the Prisma schema; "" when they already match.
 *
 * The engine replays the migrations on a shadow database to learn their end state. That
 * shadow is an in-memory PGlite: the pg adapter's shadow path fails.
 */
export async function diffMigrationsToSchema(
  migrationsDir = MIGRATIONS_DIR,
  schemaPath = SCHEMA_PATH,
): Promise<string> {
  const [migrationsList, schema] = await Promise.all([loadMigrations(migrationsDir), readSchema(schemaPath)]);
  const pglite = new PGlite();
  try {
    const result = await withSchemaEngine(new PrismaPGlite(pglite), (engine) =>
      engine.diff({
        // With no migrations yet there is nothing to replay (and no lock file to read).
        from: migrationsList.migrationDirectories.length ? { tag: "migrations", ...migrationsList } : { tag: "empty" },
        to: { tag: "schemaDatamodel", files: [schema] },
        script: true,
        exitCode: null,
        filters: NO_FILTERS,
      }),
    );
    return scriptOrEmpty(result.stdout);
  } finally {
    await pglite.close();
  }
}

export function migrationTimestamp(date = new Date()): string {
  return date.toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

/**
 * Writes `prisma/migrations/<timestamp>_<name>/migration.sql` with the pending changes of
 * schema.prisma (and the lock file when missing). Returns the directory, or null when the
 * migrations already match the schema.
 */
export async function createMigration(name: string, migrationsDir = MIGRATIONS_DIR): Promise<string | null> {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
  if (!slug) throw new Error(`Invalid migration name: ${JSON.stringify(name)}`);
  const sql = await diffMigrationsToSchema(migrationsDir);
  if (!sql) return null;
  const dir = path.join(migrationsDir, `${migrationTimestamp()}_${slug}`);
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, "migration.sql"), sql.endsWith("\n") ? sql : `${sql}\n`);
  await fs.writeFile(path.join(migrationsDir, LOCKFILE), LOCKFILE_CONTENT, { flag: "wx" }).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== "EEXIST") throw err;
  });
  return dir;
}

async function main(): Promise<void> {
  const name = process.argv.slice(2).find((a) => !a.startsWith("-"));
  if (!name) {
    console.error("Usage: npm run db:new -- <name>");
    process.exit(2);
  }
  const dir = await createMigration(name);
  if (!dir) {
    console.log("no changes: prisma/migrations already matches prisma/schema.prisma");
    return;
  }
  console.log(`Created ${path.relative(process.cwd(), path.join(dir, "migration.sql"))}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
