import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, pool, prisma } from "@/lib/db";
import { Dec } from "@/lib/money";
import { initiateTopUp } from "@/lib/top-ups/initiate-top-up";
import { startStripeHarness, waitFor, type StripeHarness } from "@/lib/top-ups/testing/stripe-harness";
import { createTestCustomer, createTestPlatform } from "@/test/factories";
import { TASKS } from "./tasks";
import { startJobWorker, stopJobWorker } from "./worker";

/**
 * The in-process graphile-worker against the suite's PostgreSQL: it creates its own
 * schema, registers the recurring expiry task, and runs a queued expiry job that expires
 * an overdue top-up and its Checkout Session at the emulator.
 */

let harness: StripeHarness;
beforeAll(async () => {
  harness = await startStripeHarness();
});
afterAll(async () => {
  await stopJobWorker();
  await harness?.close();
  await closeDb();
});

describe("job worker", () => {
  it("runs the top-up expiry task and schedules it every minute", async () => {
    const platform = await createTestPlatform("Jobs");
    const { customerId } = await createTestCustomer(platform.platformId);
    const { topUp } = await initiateTopUp(platform, {
      customer_id: customerId,
      amount: new Dec(9),
      currency: "USD",
      destination: { account_name: "default", asset: "USD" },
    });
    await prisma().topUp.update({ where: { id: topUp.id }, data: { expiresAt: new Date(Date.now() - 60_000) } });

    const runner = await startJobWorker({ noHandleSignals: true, pollInterval: 200 });
    expect(await startJobWorker()).toBe(runner);
    await runner.addJob(TASKS.expireOverdueTopUps, {});
    await waitFor(async () => (await prisma().topUp.findUniqueOrThrow({ where: { id: topUp.id } })).status === "expired", "the job to expire the top-up", 20_000);
    expect(harness.emulator.events("checkout.session.expired").map((e) => e.data.object.id)).toContain(topUp.checkoutSessionId);

    const { rows } = await pool().query<{ identifier: string }>(`SELECT identifier FROM graphile_worker._private_known_crontabs`);
    expect(rows.map((r) => r.identifier)).toContain(TASKS.expireOverdueTopUps);
  });
});
