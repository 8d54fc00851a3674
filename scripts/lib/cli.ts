import { closeDb } from "@/lib/db";
import { openDevDatabase } from "./dev-database";

/**
 * The operator commands' shared frame (platform:create, platform:keys, top-up:review).
 *
 * `withDatabase` runs `work` against DATABASE_URL, or against the embedded dev database
 * when it is unset (the running `npm run dev` instance, or one started just for this), and
 * always closes the pool and stops what it started. Its log goes to stderr, so a command's
 * `--json` output on stdout stays clean.
 */
export async function withDatabase<T>(work: () => Promise<T>): Promise<T> {
  const db = await openDevDatabase((line) => console.error(line));
  process.env.DATABASE_URL = db.url;
  try {
    return await work();
  } finally {
    await closeDb();
    await db.stop();
  }
}

/** Runs a command's `main` and exits with its code; an unexpected error prints its message and exits 1. */
export function runCommand(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
