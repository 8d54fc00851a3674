import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, prisma } from "@/lib/db";
import { getPlatformContext } from "@/lib/platforms/platform-settings";
import { getAutoTopUpDefaults } from "@/lib/auto-top-ups/auto-top-up-defaults";
import { startTestApiServer, type TestApiServer } from "@/test/api-server";
import { createTestPlatform, type TestPlatform } from "@/test/factories";
import { createOperator } from "./operators";
import { consoleCookieNames, createOperatorSession } from "./operator-sessions";
import type { OperatorRole } from "./operator-roles";

/**
 * The console's Settings routes over real HTTP with real operator sessions: owners change
 * the platform's name, portal colour and logo, the mode's default overdraft and low-balance
 * threshold (the API's rules) and the portal's auto top-up suggestions;
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
    expect(saved.body).toEqual({ id: platform.platformId, name: "Glitch AI", brand_color: "#0ea5e9", logo_url: null });
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

  it("logo URL: absolute https (http only for localhost), at most 2048 characters; empty clears it", async () => {
    const owner = await signedIn(platform.platformId, "owner");
    for (const logo of ["http://cdn.example.com/logo.png", "logo.png", "javascript:alert(1)", "data:image/png;base64,AAAA", `https://example.com/${"a".repeat(2040)}`]) {
      const bad = await owner("/settings/branding", { logo_url: logo });
      expect(bad.status, logo).toBe(422);
      expect(bad.body.errors[0].field).toBe("logo_url");
    }
    expect((await row()).logoUrl).toBeNull();
    expect((await owner("/settings/branding", { logo_url: "https://cdn.example.com/logo.svg" })).body.logo_url).toBe("https://cdn.example.com/logo.svg");
    expect((await owner("/settings/branding", { logo_url: "http://localhost:3000/icon.svg" })).body.logo_url).toBe("http://localhost:3000/icon.svg");
    expect((await row()).logoUrl).toBe("http://localhost:3000/icon.svg");
    expect((await owner("/settings/branding", { logo_url: "" })).body.logo_url).toBeNull();
    expect((await row()).logoUrl).toBeNull();
  });

  it("default low-balance threshold: the console's mode only, the API's rules, audited", async () => {
    const owner = await signedIn(platform.platformId, "owner");
    const test = { platformId: platform.platformId, liveMode: false };
    expect((await (await signedIn(platform.platformId, "read_only"))("/settings/low-balance", { settings: { default_low_balance_threshold: 5 } })).status).toBe(403);
    const bad = await owner("/settings/low-balance", { settings: { default_low_balance_threshold: -2 } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].field).toBe("settings/default_low_balance_threshold");
    expect((await getPlatformContext(test)).defaultLowBalanceThreshold).toBeNull();

    const saved = await owner("/settings/low-balance", { settings: { default_low_balance_threshold: "7.5" } });
    expect(saved.body).toEqual({ live_mode: false, default_low_balance_threshold: "7.5" });
    expect((await getPlatformContext(test)).defaultLowBalanceThreshold?.toString()).toBe("7.5");
    expect((await getPlatformContext({ ...test, liveMode: true })).defaultLowBalanceThreshold).toBeNull();
    expect((await owner("/settings/low-balance", { settings: { default_low_balance_threshold: null } })).body.default_low_balance_threshold).toBeNull();
    expect(await prisma().auditEvent.count({ where: { platformId: platform.platformId, action: "platform.default_low_balance_threshold_set" } })).toBe(2);
  });

  it("auto top-up defaults: all three or none, positive, cap at least the amount, audited", async () => {
    const owner = await signedIn(platform.platformId, "owner");
    expect((await (await signedIn(platform.platformId, "member"))("/settings/auto-top-up", { threshold: 5, amount: 20, monthly_cap: 100 })).status).toBe(403);
    const fields = (res: { body: { errors: { field: string }[] } }) => res.body.errors.map((e) => e.field).sort();
    const partial = await owner("/settings/auto-top-up", { threshold: 5, amount: null, monthly_cap: null });
    expect(partial.status).toBe(422);
    expect(fields(partial)).toEqual(["amount", "monthly_cap"]);
    const negative = await owner("/settings/auto-top-up", { threshold: 0, amount: -5, monthly_cap: 100 });
    expect(negative.status).toBe(422);
    expect(fields(negative)).toEqual(["amount", "threshold"]);
    const capped = await owner("/settings/auto-top-up", { threshold: 5, amount: 50, monthly_cap: 40 });
    expect(capped.status).toBe(422);
    expect(fields(capped)).toEqual(["monthly_cap"]);
    expect(await getAutoTopUpDefaults(platform.platformId)).toBeNull();

    const saved = await owner("/settings/auto-top-up", { threshold: "2.5", amount: 25, monthly_cap: 75 });
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({ threshold: "2.5", amount: "25", monthly_cap: "75" });
    expect((await owner("/settings/auto-top-up", { threshold: null, amount: null, monthly_cap: null })).body).toEqual({ threshold: null, amount: null, monthly_cap: null });
    expect(await getAutoTopUpDefaults(platform.platformId)).toBeNull();
    expect(await prisma().auditEvent.count({ where: { platformId: platform.platformId, action: "platform.auto_top_up_defaults_set" } })).toBe(2);
  });
});
