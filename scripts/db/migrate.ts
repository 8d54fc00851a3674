import { pathToFileURL } from "node:url";
import { loadMigrations, MIGRATIONS_DIR, NO_FILTERS, pgAdapterFactory, withSchemaEngine } from "./engine";

/**
 * Applies the pending migrations of prisma/migrations to the database at `url`, recording
 * them in `_prisma_migrations` like `prisma migrate deploy`. Idempotent: already applied
 * migrations are skipped; a migration whose file changed after it was applied, or one
 * that failed earlier, makes it throw instead of guessing.
 *
 * Returns the names of the migrations applied by this call.
 */
export async function migrate(url: string, migrationsDir = MIGRATIONS_DIR): Promise<string[]> {
  const migrationsList = await loadMigrations(migrationsDir);
  const result = await withSchemaEngine(pgAdapterFactory(url), (engine) =>
    engine.applyMigrations({ migrationsList, filters: NO_FILTERS }),
  );
  return result.appliedMigrationNames;
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("DATABASE_URL is not set. `npm run dev` migrates its embedded database itself.");
    process.exit(2);
  }
  const applied = await migrate(url);
  console.log(applied.length ? `Applied ${applied.length} migration(s):\n  ${applied.join("\n  ")}` : "Database is up to date.");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
