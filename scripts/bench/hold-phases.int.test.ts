import { afterAll, describe, expect, it } from "vitest";
import { closeDb, pool } from "@/lib/db";
import { readWallet, verifyLedger } from "@/lib/ledger";
import { startTestApiServer, type TestApiServer } from "@/test/api-server";
import { createFixtures } from "./fixtures";
import { holdPhase, holdPhaseErrors, renderHoldPhase } from "./hold-phases";

/**
 * The benchmark's phase (d) for a second against the route handlers over HTTP: pairs
 * complete without an error, every capture is stored billed, and the wallets are exact
 * with no hold left open (the same checks `npm run bench` makes).
 */

let server: TestApiServer | undefined;
afterAll(async () => {
  await server?.close();
  await closeDb();
});

describe("bench phase (d): hold + capture pairs", () => {
  it("captures one event per hold, releases the rest, and the checks pass", async () => {
    server = await startTestApiServer();
    const fixtures = await createFixtures(server.url, 4, () => undefined);
    const failures: string[] = [];
    const pairs = await holdPhase(
      {
        options: { duration: 1, batchConnections: 4 },
        appUrl: server.url,
        apiKey: fixtures.apiKey,
        platformId: fixtures.platformId,
        customers: fixtures.httpCustomers,
        directCustomers: fixtures.directCustomers,
        directCharged: new Map(),
        ledger: { pool, readWallet, verifyLedger },
        failures,
        log: () => undefined,
      },
      `t${Date.now()}`,
    );
    expect(failures).toEqual([]);
    expect(holdPhaseErrors([pairs])).toBe(0);
    expect(pairs.http.ops).toBeGreaterThan(0);
    expect(pairs.direct.ops).toBeGreaterThan(0);
    for (const customer of [...fixtures.httpCustomers, ...fixtures.directCustomers]) {
      const [usd] = await readWallet(customer.id);
      expect(usd!.pendingOut.toNumber()).toBe(0);
    }
    expect(renderHoldPhase([pairs], 4)).toMatch(/HTTP .* pairs\/s; per pair p50[\s\S]*without HTTP .* pairs\/s/);
  }, 60_000);
});
