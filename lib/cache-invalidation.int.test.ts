import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/lib/db";
import { databaseUrl } from "@/lib/env";
import { COHERENT_TTL_MS, FALLBACK_TTL_MS, invalidationChannel, listenerApplicationName } from "./cache-invalidation";

/**
 * The shared LISTEN connection: channels of their own (no other test file notifies them),
 * another process played by a pg connection of the test's own.
 */

let other: pg.Client;
beforeAll(async () => {
  other = new pg.Client({ connectionString: databaseUrl() });
  await other.connect();
});
afterAll(async () => {
  await other.end();
  await closeDb();
});

const channelName = () => `drawdown_test_${randomBytes(6).toString("hex")}`;

async function waitFor(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe("invalidationChannel", () => {
  it("is short-lived until listening, then hears other processes' NOTIFYs with their payload", async () => {
    const channel = invalidationChannel(channelName());
    const payloads: string[] = [];
    channel.onInvalidate((payload) => payloads.push(payload));
    expect(channel.ttlMs()).toBe(FALLBACK_TTL_MS);
    channel.startListening();
    await waitFor(() => channel.listening());
    expect(channel.ttlMs()).toBe(COHERENT_TTL_MS);
    expect(payloads).toEqual([""]); // emptied when LISTEN took effect

    const generation = channel.generation();
    await other.query("SELECT pg_notify($1, 'key_1')", [channel.name]);
    await waitFor(() => payloads.length === 2);
    expect(payloads[1]).toBe("key_1");
    expect(channel.generation()).toBe(generation + 1);
  });

  it("listens on a channel made after the connection is up, on the same connection", async () => {
    const first = invalidationChannel(channelName());
    first.startListening();
    await waitFor(() => first.listening());
    const late = invalidationChannel(channelName());
    let heard = 0;
    late.onInvalidate(() => heard++);
    await waitFor(() => late.listening());
    const before = heard;
    await other.query("SELECT pg_notify($1, '')", [late.name]);
    await waitFor(() => heard > before);
    const { rows } = await other.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1", [listenerApplicationName()]);
    expect(rows[0].n).toBe(1);
  });

  it("trusts entries only while listening: a lost connection empties the caches and shortens their life until it is back", async () => {
    const channel = invalidationChannel(channelName());
    let cleared = 0;
    channel.onInvalidate(() => cleared++);
    channel.startListening();
    await waitFor(() => channel.listening());
    const before = cleared;

    await other.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", [listenerApplicationName()]);
    await waitFor(() => !channel.listening());
    expect(channel.ttlMs()).toBe(FALLBACK_TTL_MS);
    expect(cleared).toBeGreaterThan(before); // what was cached may have missed a notification

    await waitFor(() => channel.listening()); // reconnected with backoff
    expect(channel.ttlMs()).toBe(COHERENT_TTL_MS);
    const heard = cleared;
    await other.query("SELECT pg_notify($1, '')", [channel.name]);
    await waitFor(() => cleared > heard);
  });

  it("invalidate empties this process's caches at once and notifies the others", async () => {
    const channel = invalidationChannel(channelName());
    const received: string[] = [];
    const listener = new pg.Client({ connectionString: databaseUrl() });
    await listener.connect();
    try {
      listener.on("notification", (n) => received.push(n.payload ?? ""));
      await listener.query(`LISTEN ${channel.name}`);
      let cleared = 0;
      channel.onInvalidate(() => cleared++);
      channel.invalidate("x");
      expect(cleared).toBe(1);
      await waitFor(() => received.length > 0);
      expect(received).toEqual(["x"]);
    } finally {
      await listener.end();
    }
  });

  it("refuses a channel name that is not a plain identifier", () => {
    expect(() => invalidationChannel("drop table; --")).toThrow();
    expect(() => invalidationChannel("Upper")).toThrow();
  });
});
