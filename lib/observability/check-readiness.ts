import { readdir } from "node:fs/promises";
import path from "node:path";
import { pool } from "@/lib/db";
import { env } from "@/lib/env";
import { isJobWorkerRunning } from "./job-worker-state";

/**
 * What GET /api/ready reports to a process manager or orchestrator: whether this instance
 * can serve. Each check is a word, never a message, a version or a host name.
 */
export interface Readiness {
  ready: boolean;
  checks: {
    /** `ok` when `SELECT 1` answered. */
    database: "ok" | "unreachable";
    /** `current` when every folder of prisma/migrations is applied; `unknown` without a database. */
    migrations: "current" | "pending" | "unknown";
    /** `running`, `stopped`, or `elsewhere` when JOBS_IN_PROCESS is false (another process runs it). */
    jobs: "running" | "stopped" | "elsewhere";
  };
}

/**
 * Migrations found current stay so for this long without asking again: the folders do not
 * change under a running process, but the database could be replaced by an older one.
 */
const MIGRATIONS_CACHE_MS = 30_000;
let migrationsCheckedAt = 0;

/**
 * Checks the database (one round trip), whether its applied migrations
 * (`_prisma_migrations`, as scripts/db/migrate.ts and `prisma migrate deploy` record them)
 * cover every folder of prisma/migrations (read once per process, then cached while
 * current), and, when the worker should run in this process, that it does.
 */
export async function checkReadiness(): Promise<Readiness> {
  const jobs = env().JOBS_IN_PROCESS === "true" ? (isJobWorkerRunning() ? "running" : "stopped") : "elsewhere";
  let database: Readiness["checks"]["database"] = "ok";
  let migrations: Readiness["checks"]["migrations"] = "unknown";
  try {
    if (Date.now() - migrationsCheckedAt < MIGRATIONS_CACHE_MS) {
      await pool().query("SELECT 1");
      migrations = "current";
    } else {
      const [expected, applied] = await Promise.all([migrationFolders().catch(() => null), appliedMigrations()]);
      migrations = expected === null ? "unknown" : expected.every((name) => applied.has(name)) ? "current" : "pending";
      migrationsCheckedAt = migrations === "current" ? Date.now() : 0;
    }
  } catch {
    database = "unreachable";
  }
  return { ready: database === "ok" && migrations === "current" && jobs !== "stopped", checks: { database, migrations, jobs } };
}

let folders: Promise<string[]> | undefined;

/** The migration folders shipped with this code (the process runs from the project root). */
function migrationFolders(): Promise<string[]> {
  folders ??= readdir(path.join(process.cwd(), "prisma", "migrations"), { withFileTypes: true })
    .then((entries) => entries.filter((e) => e.isDirectory()).map((e) => e.name))
    .catch((error: unknown) => {
      folders = undefined;
      throw error;
    });
  return folders;
}

async function appliedMigrations(): Promise<Set<string>> {
  try {
    const { rows } = await pool().query<{ migration_name: string }>(
      "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL",
    );
    return new Set(rows.map((r) => r.migration_name));
  } catch (error) {
    // 42P01: no _prisma_migrations table yet, i.e. nothing applied (a reachable database).
    if ((error as { code?: unknown }).code === "42P01") return new Set();
    throw error;
  }
}
