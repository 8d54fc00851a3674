import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { embeddedSharedBuffersMb, freePort, makeTempDataDir, startEmbeddedPostgres, type EmbeddedPostgresHandle } from "./embedded-pg";

/**
 * The embedded PostgreSQL's Unix socket (what `npm start` connects the app through): there
 * when the data directory can hold it, and a start on TCP alone when it cannot.
 */

const started: EmbeddedPostgresHandle[] = [];
const dirs: string[] = [];

afterAll(async () => {
  await Promise.all(started.map((s) => s.stop()));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function selectOne(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ n: number }>("SELECT 1 AS n")).rows[0]!.n;
  } finally {
    await client.end();
  }
}

describe("the embedded PostgreSQL's Unix socket", () => {
  it("listens on a socket in its data directory beside 127.0.0.1, and both URLs reach it", async () => {
    const dataDir = await makeTempDataDir();
    dirs.push(dataDir);
    const server = await startEmbeddedPostgres({ dataDir, persistent: false });
    started.push(server);
    expect(server.socketUrl).toBe(`postgresql://postgres:postgres@localhost:${server.port}/drawdown?host=${encodeURIComponent(dataDir)}`);
    expect(await selectOne(server.socketUrl!)).toBe(1);
    expect(await selectOne(server.url)).toBe(1);
    // Its buffer cache follows the machine (a quarter of RAM, 128 MB to 1 GB), not PostgreSQL's 128 MB default.
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    const { rows } = await client.query<{ setting: string; unit: string }>("SELECT setting, unit FROM pg_settings WHERE name = 'shared_buffers'");
    // Text compares byte by byte (the C collation), wherever the machine's locale points.
    const { rows: locale } = await client.query<{ datcollate: string; datctype: string; sorted: string[] }>(
      `SELECT datcollate, datctype, (SELECT array_agg(x ORDER BY x) FROM unnest(ARRAY['b', 'B', 'a', 'é', 'A', '_']) AS x) AS sorted
         FROM pg_database WHERE datname = current_database()`,
    );
    await client.end();
    expect(rows[0]!.unit).toBe("8kB");
    expect((Number(rows[0]!.setting) * 8) / 1024).toBe(embeddedSharedBuffersMb());
    expect(locale[0]!.datcollate).toBe("C");
    expect(locale[0]!.sorted).toEqual(["A", "B", "_", "a", "b", "é"]);
  }, 60_000);

  it("sizes the buffer cache as a quarter of memory between 128 MB and 1 GB", () => {
    expect(embeddedSharedBuffersMb(256 * 2 ** 20)).toBe(128);
    expect(embeddedSharedBuffersMb(2 * 2 ** 30)).toBe(512);
    expect(embeddedSharedBuffersMb(24 * 2 ** 30)).toBe(1024);
  });

  it("starts on TCP alone when the socket cannot be made there", async () => {
    const dataDir = await makeTempDataDir();
    dirs.push(dataDir);
    const port = await freePort();
    const first = await startEmbeddedPostgres({ dataDir, port, persistent: true });
    await first.stop();
    // A directory where the socket file would go: the postmaster cannot bind there and exits.
    await mkdir(path.join(dataDir, `.s.PGSQL.${port}`));
    const lines: string[] = [];
    const server = await startEmbeddedPostgres({ dataDir, port, persistent: true, onLog: (line) => lines.push(line) });
    started.push(server);
    expect(lines.some((l) => l.startsWith("starting again without a Unix socket"))).toBe(true);
    expect(server.socketUrl).toBeUndefined();
    expect(await selectOne(server.url)).toBe(1);
  }, 90_000);
});
