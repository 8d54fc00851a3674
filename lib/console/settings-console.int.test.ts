import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, prisma } from "@/lib/db";
import { getPlatformContext } from "@/lib/platforms/platform-settings";
import { startTestApiServer, type TestApiServer } from "@/test/api-server";
import { createTestPlatform, type TestPlatform } from "@/test/factories";
import { createOperator } from "./operators";
import { consoleCookieNames, createOperatorSession } from "./operator-sessions";
import type { OperatorRole } from "./operator-roles";

/**
 * The console's Settings routes over real HTTP with real operator sessions: owners change
 * the platform's name and portal colour and the mode's default overdraft (the API's rules);
 * members and read_only are 403, bad input is 422 with field errors, and none of those
 * writes anything. The platform is always the session's: there is no id to point elsewhere.
 */

let server: TestApiServer;
let platform: TestPlatform;
type Client = (path: string, body: unknown) => Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function signedIn(platformId: string, role: OperatorRole, mode: "test" | "live" = "test"): Promise<Client> {
  const operator = await createOperator(platformId, { email: `${role}-${Math.random().toString(36).slice(2)}@example.test`, role });
  const { token } = await createOperatorSession(operator.id);
  const names = consoleCookieNames(false);
  return async (path, body) => {
    const response = await fetch(`${server.url}/api/console${path}`, {
      method: "PATCH",
      headers: { cookie: `${names.session}=${token}; ${names.mode}=${mode}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
}

const row = () => prisma().platform.findUniqueOrThrow({ where: { id: platform.platformId } });

beforeAll(async () => {
  server = await startTestApiServer();
  platform = await createTestPlatform("Settings");
});
afterAll(async () => {
  await server?.close();
  await closeDb();
});

describe("console settings", () => {
  it("branding: owners only, validated, audited", async () => {
    const owner = await signedIn(platform.platformId, "owner");
    const before = await row();
    for (const role of ["member", "read_only"] as const) {
      expect((await (await signedIn(platform.platformId, role))("/settings/branding", { name: "Hijacked" })).status).toBe(403);
    }
    const bad = await owner("/settings/branding", { name: " ", brand_color: "red" });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(["brand_color", "name"]);
    expect(await row()).toMatchObject({ name: before.name, brandColor: before.brandColor });

    const saved = await owner("/settings/branding", { name: "Glitch AI", brand_color: "#0EA5E9" });
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({ id: platform.platformId, name: "Glitch AI", brand_color: "#0ea5e9" });
    expect(await row()).toMatchObject({ name: "Glitch AI", brandColor: "#0ea5e9" });
    expect(await prisma().auditEvent.count({ where: { platformId: platform.platformId, action: "platform.branding_updated" } })).toBe(1);

    // another platform's owner changes only their own platform
    const other = await createTestPlatform("Other settings");
    expect((await (await signedIn(other.platformId, "owner"))("/settings/branding", { name: "Mine" })).status).toBe(200);
    expect((await row()).name).toBe("Glitch AI");
  });

  it("default overdraft: the console's mode only, the API's rules", async () => {
    const owner = await signedIn(platform.platformId, "owner");
    const test = { platformId: platform.platformId, liveMode: false };
    const live = { platformId: platform.platformId, liveMode: true };
    expect((await (await signedIn(platform.platformId, "member"))("/settings/overdraft", { settings: { default_overdraft_limit: 5 } })).status).toBe(403);
    const bad = await owner("/settings/overdraft", { settings: { default_overdraft_limit: "-1" } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].field).toBe("settings/default_overdraft_limit");
    expect((await getPlatformContext(test)).defaultOverdraftLimit.toString()).toBe("0");

    const saved = await owner("/settings/overdraft", { settings: { default_overdraft_limit: "12.5" } });
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({ live_mode: false, default_overdraft_limit: "12.5" });
    expect((await getPlatformContext(test)).defaultOverdraftLimit.toString()).toBe("12.5");
    expect((await getPlatformContext(live)).defaultOverdraftLimit.toString()).toBe("0");
    expect((await (await signedIn(platform.platformId, "owner", "live"))("/settings/overdraft", { settings: { default_overdraft_limit: "unlimited" } })).body).toEqual({
      live_mode: true,
      default_overdraft_limit: "unlimited",
    });
    expect((await getPlatformContext(test)).defaultOverdraftLimit.toString()).toBe("12.5");
    expect(await prisma().auditEvent.count({ where: { platformId: platform.platformId, action: "platform.default_overdraft_limit_set" } })).toBe(2);
  });
});
