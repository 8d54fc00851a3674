import path from "node:path";
import { localPort } from "@/lib/local-ports";
import { migrate } from "../db/migrate";
import { startEmbeddedPostgres } from "./embedded-pg";

const ROOT = path.resolve(import.meta.dirname, "../..");

/**
 * Where a local instance keeps what it writes (the embedded PostgreSQL's data in `pg/`,
 * the Stripe emulator's state, `npm start`'s NEXTAUTH_SECRET): DRAWDOWN_DATA_DIR, default
 * `.data` in the checkout (git-ignored).
 */
export function localDataDir(): string {
  return path.resolve(ROOT, process.env.DRAWDOWN_DATA_DIR || ".data");
}

export interface DevDatabase {
  url: string;
  /** True when this is the embedded dev server (started here or already running). */
  embedded: boolean;
  /** Stops the embedded server if this process started it; otherwise does nothing. */
  stop(): Promise<void>;
  /** Resolves when the embedded server exits without stop(); never for DATABASE_URL. */
  exitedOnItsOwn: Promise<string>;
}

/**
 * The database of `npm run dev`, `npm start` and the operator commands: DATABASE_URL when
 * set (left as is: run `npm run db:migrate` for it), otherwise the embedded server in
 * `<data dir>/pg` on PGPORT (54329, or as far from it as PORT is from 3000:
 * lib/local-ports.ts), started if it is not already running and migrated to the latest
 * migration. A port held by anything else (another checkout's server) is an error, never
 * a database to use.
 */
export async function openDevDatabase(
  log: (line: string) => void = console.error,
  options: { ownProcessGroup?: boolean } = {},
): Promise<DevDatabase> {
  const configured = process.env.DATABASE_URL;
  if (configured) return { url: configured, embedded: false, stop: async () => {}, exitedOnItsOwn: new Promise(() => {}) };

  const port = localPort("PGPORT");
  const dataDir = path.join(localDataDir(), "pg");
  const shown = dataDir.startsWith(ROOT + path.sep) ? path.relative(ROOT, dataDir) : dataDir;
  const server = await startEmbeddedPostgres({
    dataDir,
    port,
    persistent: true,
    onNotice: log,
    ownProcessGroup: options.ownProcessGroup,
  });
  log(
    server.owned
      ? `Embedded PostgreSQL started on port ${server.port} (data in ${shown})`
      : `Using the embedded PostgreSQL already running on port ${server.port} (data in ${shown})`,
  );
  try {
    const applied = await migrate(server.url);
    if (applied.length) log(`Applied migrations: ${applied.join(", ")}`);
  } catch (err) {
    await server.stop();
    throw err;
  }
  // The app and the operator commands talk to it over its Unix socket when there is one.
  return { url: server.socketUrl ?? server.url, embedded: true, stop: () => server.stop(), exitedOnItsOwn: server.exitedOnItsOwn };
}
