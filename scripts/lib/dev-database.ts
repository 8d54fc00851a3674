import path from "node:path";
import { migrate } from "../db/migrate";
import { startEmbeddedPostgres } from "./embedded-pg";

export const DEV_DATA_DIR = path.resolve(import.meta.dirname, "../../.data/pg");
export const DEV_PG_PORT = 54329;

export interface DevDatabase {
  url: string;
  /** True when this is the embedded dev server (started here or already running). */
  embedded: boolean;
  /** Stops the embedded server if this process started it; otherwise does nothing. */
  stop(): Promise<void>;
}

/**
 * The database of `npm run dev`, `npm start` and `platform:create`: DATABASE_URL when set
 * (left as is: run `npm run db:migrate` for it), otherwise the embedded server in
 * `.data/pg` on port 54329 (PGPORT overrides), started if it is not already running and
 * migrated to the latest migration.
 */
export async function openDevDatabase(log: (line: string) => void = console.error): Promise<DevDatabase> {
  const configured = process.env.DATABASE_URL;
  if (configured) return { url: configured, embedded: false, stop: async () => {} };

  const port = process.env.PGPORT ? Number(process.env.PGPORT) : DEV_PG_PORT;
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`Invalid PGPORT: ${process.env.PGPORT}`);
  const server = await startEmbeddedPostgres({ dataDir: DEV_DATA_DIR, port, persistent: true, onNotice: log });
  log(
    server.owned
      ? `Embedded PostgreSQL started on port ${server.port} (data in .data/pg)`
      : `Using the embedded PostgreSQL already running on port ${server.port}`,
  );
  try {
    const applied = await migrate(server.url);
    if (applied.length) log(`Applied migrations: ${applied.join(", ")}`);
  } catch (err) {
    await server.stop();
    throw err;
  }
  return { url: server.url, embedded: true, stop: () => server.stop() };
}
